/** Turns benchmark results into RESULTS.md tables and SVG charts. */
import { cpus, totalmem } from 'node:os';
import type { StartupResult, ThroughputResult } from '../basics.ts';
import type { PointResult, WindowResult } from '../fanout.ts';
import { cell, fmt, spread } from './stats.ts';
import { lineChart } from './svg.ts';

/** Everything one `npm run bench` measured. */
export interface BenchResults {
  readonly runs: number;
  readonly startup: StartupResult;
  readonly throughput: ThroughputResult;
  readonly fanout: PointResult[];
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
    `| idle RSS, bundle, 0 devices | ${cell(spread(s.idleRssBundle))} MB | |`,
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
    'autocannon in the bench process; each server in its own process; targets interleaved per run. Ratio per run against the reference of the same run.',
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
    `Demo home process (\`npm run demo-ha\`) → HAsync (standalone mode) → load-client process with one WebSocket per paired device (mixed scopes: every third device the whole home, the others one or two of six areas). Latency = receipt time − the \`lc\`/\`lu\` stamp the demo home put on the change (one clock). Each run is a ${seconds} s window. A tap connection straight on the demo home sees every published change: per device, *coalesced* counts changes of its entities that did not arrive one by one (HAsync's cache merges changes of one entity that arrive in the same event-loop turn, which happens when it lags behind), *lost* counts entities whose newest published state never reached the device (must be 0). Reference: a bare \`ws\` server subscribed once to the same demo home, broadcasting the same frames to every client (no scope, so it sends *more* than HAsync). CPU % and RSS are of the server process (HAsync or the reference).`,
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

/** The budgets of design section 9 that this run can judge. */
function budgetSection(r: BenchResults): string[] {
  const start = med(r.startup.sources);
  const rss = med(r.startup.idleRss);
  const bundleStart = med(r.startup.bundle);
  const bundleRss = med(r.startup.idleRssBundle);
  // The worst median ratio of either listener at either connection count.
  const ratios = ['admin@10', 'device@10', 'admin@100', 'device@100'].map((key) => {
    const ref = r.throughput[`reference@${key.split('@')[1]}`] ?? [];
    return { key, ratio: med((r.throughput[key] ?? []).map((x, i) => x / (ref[i] ?? 1))) };
  });
  const worst = ratios.reduce((a, b) => (b.ratio < a.ratio ? b : a));
  const lines = [
    '## Budgets (design section 9)',
    '',
    '| budget | measured | verdict |',
    '| --- | --- | --- |',
  ];
  lines.push(
    `| start to healthy ≤ 300 ms (judged on the bundle the image runs) | ${fmt(bundleStart, 0)} ms bundle, ${fmt(start, 0)} ms sources | ${pass(bundleStart <= 300)} |`,
  );
  lines.push(
    `| idle RSS ≤ 60 MB (judged on the bundle) | ${fmt(bundleRss, 0)} MB bundle, ${fmt(rss, 0)} MB sources | ${pass(bundleRss <= 60)} |`,
  );
  lines.push(
    `| health ≥ 50 % of bare node:http | worst ${fmt(worst.ratio * 100, 1)} % (${worst.key} connections) | ${pass(worst.ratio >= 0.5)} |`,
  );
  const budget = r.fanout.find(
    (p) => p.point.entities === 2000 && p.point.rate === 500 && p.point.devices === 100,
  );
  if (budget) {
    const p99 = med(budget.hasync.map((w) => w.p99));
    const refP99 = med(budget.reference.map((w) => w.p99));
    const lost = budget.hasync.reduce((n, w) => n + w.lost, 0);
    const merged = budget.hasync.reduce((n, w) => n + w.dropped, 0);
    lines.push(
      `| 100 devices × 2,000 entities × 500/s: p99 ≤ 20 ms, nothing dropped | p99 ${fmt(p99, 0)} ms (bare ws ${fmt(refP99, 0)} ms), ${lost} lost, ${merged} coalesced | ${pass(p99 <= 20 && lost === 0)} |`,
    );
  }
  const big = r.fanout.find((p) => p.point.devices >= 1000);
  if (big) {
    const rssBig = Math.max(...big.hasync.map((w) => w.rss));
    lines.push(
      `| 1,000 devices steady, RSS ≤ 250 MB | max ${fmt(rssBig, 0)} MB under ${big.point.rate} changes/s, ${big.hasync.reduce((n, w) => n + w.errors, 0)} errors | ${pass(rssBig <= 250)} |`,
    );
  }
  return [...lines, ''];
}

/** RESULTS.md text; chart files are referenced by name. */
export function renderMarkdown(r: BenchResults, date: string, charts: string[]): string {
  return [
    '# HAsync benchmark results',
    '',
    `Generated by \`npm run bench\` on ${date}. Machine: ${machine()}. ${r.runs} runs per measurement; cells show median (min–max). The machine was shared with other work, so absolute numbers are noisy — compare against the reference measured in the same run.`,
    '',
    ...budgetSection(r),
    ...startupSection(r.startup),
    ...throughputSection(r.throughput),
    ...fanoutSection(r.fanout, r.seconds.fanout),
    ...stormSection(r.fanout),
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
