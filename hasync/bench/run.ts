/**
 * `npm run bench`: start-up, idle memory, /api/health throughput and fan-out (with a reconnect
 * storm), each against a reference measured in the same run; writes bench/RESULTS.md and SVG
 * charts. Sizes are environment variables so a quick run is possible:
 * BENCH_RUNS (3), BENCH_HTTP_S (3), BENCH_FANOUT_S (3), BENCH_ENTITIES ("2000,10000"),
 * BENCH_RATES ("100,500,1000"), BENCH_DEVICES ("10,100,1000"), BENCH_STORM_AT (1000).
 * The raw numbers go to bench/results.json; BENCH_RENDER=bench/results.json re-renders from them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { serverBundleOptions, serverEntryOptions } from '../scripts/server-bundle.ts';
import { measureStartup, measureThroughput } from './basics.ts';
import { type Point, type PointResult, runPoint } from './fanout.ts';
import { ROOT, spawnNode } from './lib/proc.ts';
import {
  type BenchResults,
  keepFrontendSection,
  renderCharts,
  renderMarkdown,
} from './lib/report.ts';
import { measureIdleMemory } from './memory.ts';

const env = process.env;
const num = (name: string, fallback: number) => Number(env[name] ?? fallback);
const list = (name: string, fallback: string) => (env[name] ?? fallback).split(',').map(Number);

const RUNS = Math.max(3, num('BENCH_RUNS', 3));
const HTTP_S = num('BENCH_HTTP_S', 3);
const FANOUT_S = num('BENCH_FANOUT_S', 3);
const STORM_AT = num('BENCH_STORM_AT', 1000);

function log(message: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** The base point (2,000 entities, 500/s) per device count, then every entity × rate at 100 devices. */
function points(): Point[] {
  const out: Point[] = [];
  for (const devices of list('BENCH_DEVICES', '10,100,1000')) {
    if (devices !== 100) out.push({ entities: 2000, rate: 500, devices });
  }
  for (const entities of list('BENCH_ENTITIES', '2000,10000')) {
    for (const rate of list('BENCH_RATES', '100,500,1000'))
      out.push({ entities, rate, devices: 100 });
  }
  return out.sort((a, b) => a.devices - b.devices);
}

async function buildBundle(dir: string): Promise<string> {
  const child = spawnNode(['scripts/build.ts', '--outdir', dir]);
  const [code] = await new Promise<[number | null]>((r) => child.proc.once('exit', (c) => r([c])));
  if (code !== 0) throw new Error(`bundle build failed:\n${child.output()}`);
  return join(dir, 'server.mjs');
}

/** The stack floor (bench/stack-floor.ts), bundled as the server is; returns its entry. */
async function buildFloor(dir: string): Promise<string> {
  await build(serverBundleOptions(join(ROOT, 'bench', 'stack-floor.ts'), join(dir, 'floor.cjs')));
  await build(serverEntryOptions('floor.cjs', join(dir, 'floor-entry.mjs')));
  return join(dir, 'floor-entry.mjs');
}

async function fanout(bundle: string): Promise<PointResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hasync-bench-fanout-'));
  const state = { dataDir, tokens: [], entry: bundle };
  const out: PointResult[] = [];
  try {
    for (const point of points()) {
      log(`fan-out ${point.entities} entities, ${point.rate}/s, ${point.devices} devices`);
      out.push(await runPoint(state, point, RUNS, FANOUT_S, STORM_AT, log));
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return out;
}

/** Writes RESULTS.md, the charts and the raw numbers (bench/results.json). */
function render(results: BenchResults): void {
  // The raw numbers first: a page that fails to render can be rendered again from them.
  writeFileSync(join(ROOT, 'bench/results.json'), `${JSON.stringify(results)}\n`);
  const charts = renderCharts(results.fanout);
  for (const [name, svg] of Object.entries(charts)) writeFileSync(join(ROOT, 'bench', name), svg);
  const date = new Date(results.date).toISOString();
  const page = join(ROOT, 'bench/RESULTS.md');
  const previous = existsSync(page) ? readFileSync(page, 'utf8') : undefined;
  const markdown = renderMarkdown(results, date, Object.keys(charts));
  writeFileSync(page, keepFrontendSection(markdown, previous));
  // Committed beside the page, so it is kept in the project's own formatting.
  execFileSync(join(ROOT, 'node_modules/.bin/biome'), ['format', '--write', 'bench/results.json'], {
    cwd: ROOT,
    stdio: 'ignore',
  });
}

// BENCH_RENDER=bench/results.json re-renders the page from saved numbers without measuring.
if (env.BENCH_RENDER) {
  render(JSON.parse(readFileSync(env.BENCH_RENDER, 'utf8')) as BenchResults);
  process.exit(0);
}

const started = Date.now();
const bundleDir = mkdtempSync(join(tmpdir(), 'hasync-bench-dist-'));
try {
  log('building the bundle');
  const bundle = await buildBundle(bundleDir);
  log('start-up and idle memory');
  const floor = await buildFloor(bundleDir);
  const startup = await measureStartup(RUNS, bundle, floor, 3000);
  log('where the idle memory goes');
  const memory = await measureIdleMemory(bundle, 3000);
  log('/api/health throughput');
  const throughput = await measureThroughput(RUNS, HTTP_S, bundle);
  const results: BenchResults = {
    runs: RUNS,
    startup,
    throughput,
    fanout: await fanout(bundle),
    memory,
    seconds: { http: HTTP_S, fanout: FANOUT_S },
    date: started,
  };
  render(results);
  log(`wrote bench/RESULTS.md in ${Math.round((Date.now() - started) / 1000)} s`);
} finally {
  rmSync(bundleDir, { recursive: true, force: true });
}
