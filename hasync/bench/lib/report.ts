/** Turns benchmark results into RESULTS.md tables and SVG charts. */
import { cpus, totalmem } from 'node:os';
import type { StartupResult, ThroughputResult } from '../basics.ts';
import type { PointResult, WindowResult } from '../fanout.ts';
import type { MemoryProbe } from '../memory.ts';
import { cell, fmt, spread } from './stats.ts';
import { lineChart } from './svg.ts';

/** Everything one `npm run bench` measured. */
export interface BenchResults {
  readonly runs: number;
  readonly startup: StartupResult;
  readonly throughput: ThroughputResult;
  readonly fanout: PointResult[];
  /** The bundle idle in demo mode, probed, and bare Node's RSS beside it (MB). */
  readonly memory?: { readonly server: MemoryProbe; readonly bareNode: number };
  readonly seconds: { http: number; fanout: number };
  /** When the run started, epoch ms. */
  readonly date: number;
}

const med = (xs: number[]) => spread(xs).median;
const pass = (ok: boolean) => (ok ? '**met**' : '**not met**');

export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM, ${process.platform}/${process.arch}, Node ${process.version}`;
}

function startupSection(s: StartupResult): string[] {
  const ref = med(s.reference);
  return [
    '## Start-up and idle memory',
    '',
    'Spawn → first `200` from the admin `/api/health`, demo mode (in-process demo home, 62 entities), warm disk. Reference: spawning `node -e ""` until it exits.',
    '',
    '| what | median (min–max) | ratio to reference |',
    '| --- | --- | --- |',
    `| reference \`node -e ""\` | ${cell(spread(s.reference))} ms | 1.0 |`,
    `| HAsync from sources (\`node src/main.ts\`) | ${cell(spread(s.sources))} ms | ${fmt(med(s.sources) / ref)} |`,
    `| HAsync bundle (\`node dist/server.mjs\`) | ${cell(spread(s.bundle))} ms | ${fmt(med(s.bundle) / ref)} |`,
    `| idle RSS, sources, 0 devices | ${cell(spread(s.idleRss))} MB | |`,
    `| idle RSS, bundle, 0 devices | ${cell(spread(s.idleRssBundle))} MB | ${fmt(med(s.idleRssBundle) / med(s.bareRss ?? []))} × bare node |`,
    `| reference: idle RSS of bare node | ${cell(spread(s.bareRss ?? []))} MB | 1.0 |`,
    ...(s.floor?.length && s.idleRssFloor?.length
      ? [
          `| floor: the stack alone (\`bench/stack-floor.ts\`), start | ${cell(spread(s.floor))} ms | ${fmt(med(s.floor) / ref)} |`,
          `| floor: the stack alone, idle RSS | ${cell(spread(s.idleRssFloor))} MB | ${fmt(med(s.idleRssFloor) / med(s.bareRss ?? []))} × bare node |`,
        ]
      : []),
    '',
    'The floor is the stack design section 2 chooses, set up as HAsync sets it up and doing nothing else: pino, a node:sqlite database, two Fastify listeners each with a health route (response schema, database read) and @fastify/static, @fastify/websocket on one; bundled and started as the image starts HAsync. What HAsync adds is the difference.',
    '',
  ];
}

function throughputSection(t: ThroughputResult): string[] {
  const rows: string[] = [];
  for (const c of [10, 100]) {
    const ref = t[`reference@${c}`] ?? [];
    rows.push(`| bare \`node:http\` | ${c} | ${cell(spread(ref), 0)} | 100 % |`);
    for (const name of ['admin', 'device']) {
      const xs = t[`${name}@${c}`] ?? [];
      const ratios = xs.map((x, i) => (x / (ref[i] ?? Number.NaN)) * 100);
      rows.push(
        `| HAsync ${name} listener | ${c} | ${cell(spread(xs), 0)} | ${cell(spread(ratios), 0)} % |`,
      );
    }
  }
  return [
    '## `/api/health` throughput',
    '',
    'autocannon in the bench process; each server in its own process (HAsync: the bundle, with the image’s Node options); targets interleaved per run. Ratio per run against the reference of the same run.',
    '',
    '| server | connections | requests/s median (min–max) | % of reference |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ];
}

function windowCells(ws: WindowResult[]): string {
  const p = (k: 'p50' | 'p99' | 'max') => cell(spread(ws.map((w) => w[k])), 0);
  const sum = (k: 'received' | 'dropped' | 'lost') => ws.reduce((n, w) => n + w[k], 0);
  return `${p('p50')} | ${p('p99')} | ${p('max')} | ${sum('received')} / ${sum('dropped')} / ${sum('lost')} | ${cell(spread(ws.map((w) => w.cpu)), 0)} | ${cell(spread(ws.map((w) => w.rss)), 0)}`;
}

function fanoutSection(points: PointResult[], seconds: number): string[] {
  const rows = points.flatMap((r) => {
    const p = r.point;
    const label = `${p.entities} | ${p.rate} | ${p.devices}`;
    return [
      `| ${label} | HAsync | ${windowCells(r.hasync)} |`,
      `| ${label} | bare ws | ${windowCells(r.reference)} |`,
    ];
  });
  return [
    '## Fan-out: change-to-device latency',
    '',
    `Demo home process (\`npm run demo-ha\`) → HAsync (the bundle, standalone mode, the image's Node options; devices paired beforehand through a server of their own) → load-client process with one WebSocket per paired device (mixed scopes: every third device the whole home, the others one or two of six areas). Latency = receipt time − the \`lc\`/\`lu\` stamp the demo home put on the change (one clock). Each run is a ${seconds} s window. A tap connection straight on the demo home sees every published change: per device, *coalesced* counts changes of its entities that did not arrive one by one (HAsync's cache merges changes of one entity that arrive in the same event-loop turn, which happens when it lags behind), *lost* counts entities whose newest published state never reached the device (must be 0). The load client announces \`coalesce_messages\` as home-assistant-js-websocket does. Reference: a bare \`ws\` server subscribed once (coalesced, as HAsync's upstream link) to the same demo home, broadcasting each frame to every client (no scope, so it sends *more* than HAsync). CPU % and RSS are of the server process (HAsync or the reference).`,
    '',
    '| entities | changes/s | devices | server | p50 ms | p99 ms | max ms | delivered / coalesced / lost | CPU % | RSS MB |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ];
}

function stormSection(points: PointResult[]): string[] {
  const withStorm = points.filter((p) => p.storms.length > 0);
  if (withStorm.length === 0) return [];
  return [
    '## Reconnect storm',
    '',
    'All device sockets are cut at once and reconnect at once; time until every device has authenticated and received its `subscribe_entities` snapshot again.',
    '',
    '| devices | entities | changes/s | time to all resynced ms | errors |',
    '| --- | --- | --- | --- | --- |',
    ...withStorm.map(
      (p) =>
        `| ${p.point.devices} | ${p.point.entities} | ${p.point.rate} | ${cell(spread(p.storms.map((s) => s.storm_ms)), 0)} | ${p.storms.reduce((n, s) => n + s.errors, 0)} |`,
    ),
    '',
  ];
}

/** One target: what it says, what was measured against which reference, and whether it holds. */
function row(target: string, measured: string, ok: boolean): string {
  return `| ${target} | ${measured} | ${pass(ok)} |`;
}

/** The worst median ratio to bare node:http of either listener at either connection count. */
function worstHealth(t: ThroughputResult): { key: string; ratio: number } {
  const ratios = ['admin@10', 'device@10', 'admin@100', 'device@100'].map((key) => {
    const ref = t[`reference@${key.split('@')[1]}`] ?? [];
    return { key, ratio: med((t[key] ?? []).map((x, i) => x / (ref[i] ?? 1))) };
  });
  return ratios.reduce((a, b) => (b.ratio < a.ratio ? b : a));
}

/** ", stack floor N unit" when the run measured the floor (bench/stack-floor.ts). */
function floorCell(samples: number[] | undefined, unit: string): string {
  return samples?.length ? `; stack floor ${fmt(med(samples), 0)} ${unit}` : '';
}

/** The targets of design section 9 and issue 17, each with the reference of this run. */
function budgetSection(r: BenchResults): string[] {
  const s = r.startup;
  const bundleStart = med(s.bundle);
  const nodeStart = med(s.reference);
  const bundleRss = med(s.idleRssBundle);
  const bareRss = med(s.bareRss ?? []);
  const worst = worstHealth(r.throughput);
  const lines = [
    '## Targets (design section 9, issue 17)',
    '',
    'Each judged against a reference measured in this run, on the bundle the image runs (with the image’s Node options).',
    '',
    '| target | measured (reference) | verdict |',
    '| --- | --- | --- |',
    row(
      'start to healthy ≤ 200 ms and ≤ 8× bare `node -e ""`',
      `${fmt(bundleStart, 0)} ms (bare node ${fmt(nodeStart, 0)} ms: ${fmt(bundleStart / nodeStart)}×)${floorCell(s.floor, 'ms')}; sources ${fmt(med(s.sources), 0)} ms`,
      bundleStart <= 200 && bundleStart <= 8 * nodeStart,
    ),
    row(
      'idle RSS, demo mode, 0 devices ≤ 70 MB and ≤ 1.7× bare Node',
      `${fmt(bundleRss, 0)} MB (bare node ${fmt(bareRss, 0)} MB: ${fmt(bundleRss / bareRss)}×)${floorCell(s.idleRssFloor, 'MB')}; sources ${fmt(med(s.idleRss), 0)} MB`,
      bundleRss <= 70 && bundleRss <= 1.7 * bareRss,
    ),
    row(
      '`/api/health` ≥ 60 % of bare `node:http`, 10 and 100 connections, both listeners',
      `worst ${fmt(worst.ratio * 100, 1)} % (${worst.key.replace('@', ' listener, ')} connections)`,
      worst.ratio >= 0.6,
    ),
  ];
  const budget = r.fanout.find(
    (p) => p.point.entities === 2000 && p.point.rate === 500 && p.point.devices === 100,
  );
  if (budget) {
    const p99 = med(budget.hasync.map((w) => w.p99));
    const refP99 = med(budget.reference.map((w) => w.p99));
    const lost = budget.hasync.reduce((n, w) => n + w.lost, 0);
    lines.push(
      row(
        '100 devices × 2,000 entities × 500/s: p99 ≤ 20 ms, nothing lost',
        `p99 ${fmt(p99, 0)} ms (bare ws ${fmt(refP99, 0)} ms), ${lost} lost`,
        p99 <= 20 && lost === 0,
      ),
    );
  }
  const big = r.fanout.find((p) => p.point.devices >= 1000);
  if (big) {
    const rss = Math.max(...big.hasync.map((w) => w.rss));
    const refRss = Math.max(...big.reference.map((w) => w.rss));
    const p99 = med(big.hasync.map((w) => w.p99));
    const refP99 = med(big.reference.map((w) => w.p99));
    const lost = big.hasync.reduce((n, w) => n + w.lost, 0);
    const errors = big.hasync.reduce((n, w) => n + w.errors, 0);
    lines.push(
      row(
        `${big.point.devices} devices × ${big.point.entities} entities × ${big.point.rate}/s: RSS ≤ 200 MB and ≤ 2× bare ws`,
        `max ${fmt(rss, 0)} MB (bare ws ${fmt(refRss, 0)} MB: ${fmt(rss / refRss)}×)`,
        rss <= 200 && rss <= 2 * refRss,
      ),
      row(
        `${big.point.devices} devices: p99 no worse than bare ws, 0 lost`,
        `p99 ${fmt(p99, 0)} ms (bare ws ${fmt(refP99, 0)} ms), ${lost} lost, ${errors} socket errors`,
        p99 <= refP99 && lost === 0,
      ),
    );
  }
  return [...lines, ''];
}

const MB = 2 ** 20;

/** Column cells for one probe: RSS, then Node's heap split into the parts its objects belong to. */
function memoryColumn(p: MemoryProbe): Map<string, number> {
  const col = new Map<string, number>();
  col.set('RSS (what the system counts)', p.rss * MB);
  col.set('V8 heap, committed (`heapTotal`)', p.memory.heapTotal);
  // The snapshot's sizes also count native objects V8 tracks, so they add up to a little more
  // than `heapUsed`; the free part is what Node reports, just after the snapshot's GC.
  for (const [part, bytes] of Object.entries(p.heap)) col.set(`· live: ${part}`, bytes);
  col.set('· committed but free (`heapTotal − heapUsed`)', p.memory.heapTotal - p.memory.heapUsed);
  col.set('external (Buffers and other memory V8 points to)', p.memory.external);
  col.set(
    'the rest: Node itself, libuv, OpenSSL, SQLite, malloc (RSS − heap − external)',
    p.rss * MB - p.memory.heapTotal - p.memory.external,
  );
  return col;
}

/** "Where every MB goes": idle bundle, the server before and with 1,000 devices, per device. */
function memorySection(r: BenchResults): string[] {
  const big = r.fanout.find((p) => p.memory);
  const columns: [string, Map<string, number>][] = [];
  if (r.memory) columns.push(['bundle, demo, idle', memoryColumn(r.memory.server)]);
  if (big?.memory) {
    const n = big.point.devices;
    columns.push([
      `standalone, ${big.point.entities} entities, 0 devices`,
      memoryColumn(big.memory.idle),
    ]);
    columns.push([`same, ${n} devices, ${big.point.rate}/s`, memoryColumn(big.memory.loaded)]);
  }
  if (columns.length === 0) return [];
  const names = [...new Set(columns.flatMap(([, c]) => [...c.keys()]))];
  const perDevice = big?.memory ? columns.length - 1 : -1;
  const rows = names.map((name) => {
    const cells = columns.map(([, c]) => fmt((c.get(name) ?? 0) / MB, 1));
    if (perDevice > 0 && big) {
      const [, loaded] = columns[perDevice] ?? [];
      const [, idle] = columns[perDevice - 1] ?? [];
      const kb = ((loaded?.get(name) ?? 0) - (idle?.get(name) ?? 0)) / 1024 / big.point.devices;
      cells.push(fmt(kb, 1));
    }
    return `| ${name} | ${cells.join(' | ')} |`;
  });
  const head = [...columns.map(([c]) => `${c} MB`), ...(perDevice > 0 ? ['per device KB'] : [])];
  return [
    '## Where every MB goes',
    '',
    `\`process.memoryUsage()\` and a heap snapshot of the server (bench/lib/memory-probe.mjs, preloaded and signalled), live objects summed per part by their type and constructor (bench/lib/heap-summary.ts). The idle bundle is probed in a run of its own; the standalone columns are the fan-out point's servers: one probed before pairing, the measured one after its windows. Bare node's idle RSS in this run: ${r.memory ? fmt(r.memory.bareNode, 0) : '?'} MB.`,
    '',
    `| part | ${head.join(' | ')} |`,
    `| --- | ${head.map(() => '---').join(' | ')} |`,
    ...rows,
    '',
  ];
}

const FRONTEND_START = '<!-- frontend-load:start -->';
const FRONTEND_END = '<!-- frontend-load:end -->';
const FRONTEND_PLACEHOLDER =
  '_The frontend cold-load measurement writes its section here (bench/frontend-load.ts)._';

/**
 * The page with the frontend cold-load section carried over verbatim from the page it replaces
 * (another benchmark writes it between the markers); a placeholder when there is none yet.
 */
export function keepFrontendSection(page: string, previous: string | undefined): string {
  const start = previous?.indexOf(FRONTEND_START) ?? -1;
  const end = previous?.indexOf(FRONTEND_END, start) ?? -1;
  const kept =
    previous && start >= 0 && end > start
      ? previous.slice(start + FRONTEND_START.length, end)
      : `\n${FRONTEND_PLACEHOLDER}\n`;
  return page.replace(`${FRONTEND_START}\n${FRONTEND_PLACEHOLDER}\n${FRONTEND_END}`, () =>
    [FRONTEND_START, kept, FRONTEND_END].join(''),
  );
}

/** RESULTS.md text; chart files are referenced by name. */
export function renderMarkdown(r: BenchResults, date: string, charts: string[]): string {
  return [
    '# HAsync benchmark results',
    '',
    `Generated by \`npm run bench\` on ${date}. Machine: ${machine()}. ${r.runs} runs per measurement; cells show median (min–max). The machine was shared with other work, so absolute numbers are noisy — compare against the reference measured in the same run.`,
    '',
    ...budgetSection(r),
    ...memorySection(r),
    ...startupSection(r.startup),
    ...throughputSection(r.throughput),
    ...fanoutSection(r.fanout, r.seconds.fanout),
    ...stormSection(r.fanout),
    FRONTEND_START,
    FRONTEND_PLACEHOLDER,
    FRONTEND_END,
    '',
    '## Soak',
    '',
    'Memory growth under a 10-minute steady load is measured by `npm run bench:soak` (kept separate because of its length): see [SOAK.md](SOAK.md).',
    '',
    '## Charts',
    '',
    ...charts.map((c) => `![${c}](${c})`),
    '',
  ].join('\n');
}

/** Latency distribution of the budget point (or the first one) and p99 scaling curves. */
export function renderCharts(points: PointResult[]): Record<string, string> {
  const out: Record<string, string> = {};
  const focusPoints = [
    points.find(
      (p) => p.point.devices === 100 && p.point.rate === 500 && p.point.entities === 2000,
    ),
    points.find((p) => p.point.devices >= 1000),
  ];
  for (const focus of focusPoints) {
    if (!focus) continue;
    // Percentiles sit at even steps, so the tail (99, 99.9, max) gets as much room as the body.
    const curve = (ws: WindowResult[]) =>
      (ws[0]?.curve ?? []).map(
        ([, _v], i) => [i, med(ws.map((w) => w.curve[i]?.[1] ?? 0))] as const,
      );
    const labels = new Map(
      (focus.hasync[0]?.curve ?? []).map(([p], i) => [i, p === 100 ? 'max' : `p${p}`]),
    );
    out[`latency-${focus.point.devices}-devices.svg`] = lineChart({
      title: `Latency percentiles: ${focus.point.devices} devices, ${focus.point.entities} entities, ${focus.point.rate}/s`,
      xLabel: 'percentile (median of the runs)',
      yLabel: 'ms',
      xTickLabels: labels,
      series: [
        { name: 'HAsync', points: curve(focus.hasync) },
        { name: 'bare ws', points: curve(focus.reference) },
      ],
    });
  }
  const byDevices = points
    .filter((p) => p.point.entities === 2000 && p.point.rate === 500)
    .sort((a, b) => a.point.devices - b.point.devices);
  if (byDevices.length > 1) {
    out['scaling-devices.svg'] = lineChart({
      title: 'p99 latency by device count (2,000 entities, 500/s)',
      xLabel: 'devices (log)',
      yLabel: 'p99 ms',
      logX: true,
      series: [
        {
          name: 'HAsync',
          points: byDevices.map((p) => [p.point.devices, med(p.hasync.map((w) => w.p99))]),
        },
        {
          name: 'bare ws',
          points: byDevices.map((p) => [p.point.devices, med(p.reference.map((w) => w.p99))]),
        },
      ],
    });
  }
  const entityCounts = [...new Set(points.map((p) => p.point.entities))];
  const byRate = entityCounts.map((e) => ({
    name: `HAsync, ${e} entities`,
    points: points
      .filter((p) => p.point.entities === e && p.point.devices === 100)
      .sort((a, b) => a.point.rate - b.point.rate)
      .map((p) => [p.point.rate, med(p.hasync.map((w) => w.p99))] as const),
  }));
  if (byRate.some((s) => s.points.length > 1)) {
    out['scaling-rate.svg'] = lineChart({
      title: 'p99 latency by change rate (100 devices)',
      xLabel: 'changes/s',
      yLabel: 'p99 ms',
      series: byRate,
    });
  }
  return out;
}
