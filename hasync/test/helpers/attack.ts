import type { DemoHome } from '../../src/demo/demo-home.ts';
import type { TestServer } from './hasync.ts';
import { RawSocket } from './raw-socket.ts';

/** Counts every service call that reaches the demo home from now on (its own log keeps only 100). */
export function countUpstreamCalls(server: TestServer): { count: () => number; stop: () => void } {
  const demo = server.hasync.demo as DemoHome;
  const original = demo.callService;
  let count = 0;
  demo.callService = (...args) => {
    count++;
    return original.apply(demo, args);
  };
  return {
    count: () => count,
    stop: () => {
      demo.callService = original;
    },
  };
}

/** Resident memory of this process (the server runs in-process), in MiB after a full GC if exposed. */
export function rssMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return Math.round((process.memoryUsage().rss / 1024 / 1024) * 10) / 10;
}

/** Runs an attack and reports the server's memory before and after, to the test's diagnostics. */
export async function measured<T>(
  name: string,
  report: (line: string) => void,
  attack: () => Promise<T>,
): Promise<T> {
  const before = rssMiB();
  const result = await attack();
  const after = rssMiB();
  report(`${name}: RSS ${before} MiB before, ${after} MiB after (${(after - before).toFixed(1)})`);
  return result;
}

/** A device that is not under attack can still connect and be answered. */
export async function stillServing(server: TestServer, token: string): Promise<void> {
  const socket = await RawSocket.authenticated(server.deviceUrl, token);
  socket.send({ id: 1, type: 'ping' });
  await socket.next((f) => f.type === 'pong' && f.id === 1);
  socket.close();
  await socket.closed;
}

/** The error object of a failed result. */
export function errorOf(frame: Record<string, unknown>): { code?: string; message?: string } {
  return (frame.error ?? {}) as { code?: string; message?: string };
}
