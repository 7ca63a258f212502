/** Start-up time, idle memory and /api/health throughput, each against a same-run reference. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import {
  type Child,
  freePort,
  pollHealthy,
  rssMb,
  SERVER_NODE_OPTIONS,
  sleep,
  spawnNode,
  waitForOutput,
} from './lib/proc.ts';

/** Start-up samples (ms) and idle RSS samples (MB) per variant. */
export interface StartupResult {
  readonly reference: number[];
  readonly sources: number[];
  readonly bundle: number[];
  readonly idleRss: number[];
  readonly idleRssBundle: number[];
  /** Bare Node's RSS, idle (`node -e 'setInterval(…)'`), after the same settle time. */
  readonly bareRss?: number[];
  /** The stack floor (bench/stack-floor.ts, bundled as HAsync is): start-up ms and idle RSS. */
  readonly floor?: number[];
  readonly idleRssFloor?: number[];
}

async function spawnToExitMs(): Promise<number> {
  const t0 = performance.now();
  const child = spawnNode(['-e', '']);
  await new Promise((r) => child.proc.once('exit', r));
  return performance.now() - t0;
}

/** Spawns the server with fixed free ports; resolves with ms to the first healthy answer. */
async function startServer(entry: string, dataDir: string): Promise<{ ms: number; child: Child }> {
  const [admin, device] = [await freePort(), await freePort()];
  const t0 = performance.now();
  const child = spawnNode([...SERVER_NODE_OPTIONS, entry], {
    HASYNC_DATA_DIR: dataDir,
    HASYNC_ADMIN_PORT: String(admin),
    HASYNC_DEVICE_PORT: String(device),
    HASYNC_DEVICE_BIND: '127.0.0.1',
    // autocannon's 100 connections come from one address; a household's clients never do.
    HASYNC_CONNECTIONS_PER_CLIENT: '1000',
  });
  await pollHealthy(`http://127.0.0.1:${admin}/api/health`);
  return { ms: performance.now() - t0, child };
}

/** Starts `entry`, lets it idle `settleMs` and stops it: ms to healthy, then RSS (MB). */
async function startAndIdle(
  entry: string,
  dataDir: string,
  settleMs: number,
): Promise<{ ms: number; rss: number }> {
  const { ms, child } = await startServer(entry, dataDir);
  await sleep(settleMs);
  const rss = rssMb(child.proc.pid ?? 0);
  await child.stop();
  return { ms, rss };
}

/**
 * Measures spawn → healthy for sources, bundle and the stack floor (`floor`, the entry of
 * bench/stack-floor.ts bundled), and RSS after `settleMs` idle.
 */
export async function measureStartup(
  runs: number,
  bundle: string,
  floor: string,
  settleMs: number,
): Promise<StartupResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hasync-bench-start-'));
  const out: StartupResult = {
    reference: [],
    sources: [],
    bundle: [],
    idleRss: [],
    idleRssBundle: [],
    bareRss: [],
    floor: [],
    idleRssFloor: [],
  };
  try {
    // One untimed start of each warms the disk cache, creates the database and fills the
    // bundles' compile cache ("warm disk").
    for (const entry of ['src/main.ts', bundle, floor]) {
      await (await startServer(entry, dataDir)).child.stop();
    }
    for (let i = 0; i < runs; i++) {
      out.reference.push(await spawnToExitMs());
      const src = await startAndIdle('src/main.ts', dataDir, settleMs);
      out.sources.push(src.ms);
      out.idleRss.push(src.rss);
      // Bare Node idles beside the bundle and is measured right after it.
      const bare = spawnNode(['-e', 'setInterval(() => {}, 1000)']);
      const bun = await startAndIdle(bundle, dataDir, settleMs);
      out.bundle.push(bun.ms);
      out.idleRssBundle.push(bun.rss);
      out.bareRss?.push(rssMb(bare.proc.pid ?? 0));
      await bare.stop();
      const stack = await startAndIdle(floor, dataDir, settleMs);
      out.floor?.push(stack.ms);
      out.idleRssFloor?.push(stack.rss);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return out;
}

/** Requests per second per target and connection count, one sample per run. */
export type ThroughputResult = Record<string, number[]>;

/** autocannon against both of the bundle's listeners and a bare node:http server, interleaved. */
export async function measureThroughput(
  runs: number,
  seconds: number,
  bundle: string,
): Promise<ThroughputResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hasync-bench-http-'));
  const server = await startServer(bundle, dataDir);
  const ref = spawnNode(['bench/http-reference.ts']);
  const refUrl = await waitForOutput(ref, (t) => /listening on (\S+)/.exec(t)?.[1]);
  const out: ThroughputResult = {};
  const ports = /"admin":"([^"]+)","device":"([^"]+)"/;
  const urls = await waitForOutput(server.child, (t) => ports.exec(t) ?? undefined);
  const targets: Record<string, string> = {
    reference: `${refUrl}/api/health`,
    admin: `${urls[1]}/api/health`,
    device: `${urls[2]}/api/health`.replace('0.0.0.0', '127.0.0.1'),
  };
  try {
    for (let i = 0; i < runs; i++) {
      for (const connections of [10, 100]) {
        // Interleaved, so drift in the machine's load hits every target alike.
        for (const [name, url] of Object.entries(targets)) {
          const result = await autocannon({ url, connections, duration: seconds });
          if (result.non2xx > 0 || result.errors > 0) throw new Error(`${name}: errors under load`);
          const key = `${name}@${connections}`;
          out[key] = [...(out[key] ?? []), result.requests.average];
        }
      }
    }
  } finally {
    await server.child.stop();
    await ref.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return out;
}
