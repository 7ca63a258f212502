/**
 * Where the memory goes: a server started with bench/lib/memory-probe.mjs preloaded is signalled,
 * writes `process.memoryUsage()` and a heap snapshot, and the snapshot's live objects are summed
 * per part of the server. Used at idle (bundle, demo mode) and in the 1,000-device fan-out point.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HeapParts, summarizeHeap } from './lib/heap-summary.ts';
import {
  type Child,
  freePort,
  pollHealthy,
  ROOT,
  rssMb,
  SERVER_NODE_OPTIONS,
  sleep,
  spawnNode,
} from './lib/proc.ts';

/** One look at a server's memory: RSS, what Node reports, and the live heap per part (bytes). */
export interface MemoryProbe {
  readonly rss: number;
  readonly memory: NodeJS.MemoryUsage;
  readonly heap: HeapParts;
}

/** Node options that preload the probe; the snapshots go to `dir`. */
export function probeOptions(dir: string): { args: string[]; env: NodeJS.ProcessEnv } {
  return {
    args: ['--import', join(ROOT, 'bench/lib/memory-probe.mjs')],
    env: { HASYNC_BENCH_SNAPSHOT_DIR: dir },
  };
}

/** Signals the server, waits for its report and sums its heap snapshot (then deletes it). */
export async function probe(child: Child, dir: string, n: number): Promise<MemoryProbe> {
  const pid = child.proc.pid ?? 0;
  const rss = rssMb(pid);
  child.proc.kill('SIGUSR2');
  const file = join(dir, `probe-${pid}-${n}.json`);
  for (let i = 0; i < 1200 && !existsSync(file); i++) await sleep(100);
  if (!existsSync(file)) throw new Error(`no memory report from the server:\n${child.output()}`);
  const report = JSON.parse(readFileSync(file, 'utf8')) as {
    memory: NodeJS.MemoryUsage;
    snapshot: string;
  };
  const heap = summarizeHeap(report.snapshot);
  rmSync(report.snapshot, { force: true });
  return { rss, memory: report.memory, heap };
}

/** The bundle in demo mode with no device, after `settleMs` idle; and bare Node's RSS. */
export async function measureIdleMemory(
  bundle: string,
  settleMs: number,
): Promise<{ server: MemoryProbe; bareNode: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'hasync-bench-memory-'));
  const bare = spawnNode(['-e', 'setInterval(() => {}, 1000)']);
  try {
    const opts = probeOptions(dir);
    const admin = await freePort();
    const child = spawnNode([...SERVER_NODE_OPTIONS, ...opts.args, bundle], {
      ...opts.env,
      HASYNC_DATA_DIR: dir,
      HASYNC_ADMIN_PORT: String(admin),
      HASYNC_DEVICE_PORT: String(await freePort()),
      HASYNC_DEVICE_BIND: '127.0.0.1',
    });
    try {
      await pollHealthy(`http://127.0.0.1:${admin}/api/health`);
      await sleep(settleMs);
      const bareNode = rssMb(bare.proc.pid ?? 0);
      return { server: await probe(child, dir, 0), bareNode };
    } finally {
      await child.stop();
    }
  } finally {
    await bare.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
