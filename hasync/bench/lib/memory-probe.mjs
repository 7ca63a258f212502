/**
 * Preloaded into a measured server (`node --import bench/lib/memory-probe.mjs …`): on SIGUSR2 it
 * writes `process.memoryUsage()`, V8's heap space and code statistics and, when
 * HASYNC_BENCH_SNAPSHOT_DIR is set, a heap snapshot, as `probe-<pid>-<n>.json` in that folder.
 * It does nothing until signalled. Plain JavaScript: a .ts preload would load Node's type
 * stripper (WebAssembly, tens of MB) into the process whose memory it measures.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import v8 from 'node:v8';

const dir = process.env.HASYNC_BENCH_SNAPSHOT_DIR;
let count = 0;

process.on('SIGUSR2', () => {
  if (!dir) return;
  const n = count++;
  const snapshot = v8.writeHeapSnapshot(join(dir, `probe-${process.pid}-${n}.heapsnapshot`));
  const report = {
    memory: process.memoryUsage(),
    spaces: v8.getHeapSpaceStatistics(),
    code: v8.getHeapCodeStatistics(),
    snapshot,
  };
  writeFileSync(join(dir, `probe-${process.pid}-${n}.json`), JSON.stringify(report));
});
