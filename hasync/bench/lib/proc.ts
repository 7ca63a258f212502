/** Process helpers for the benchmarks: spawn Node children, free ports, RSS and CPU from /proc. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The hasync/ project folder. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The Node options the image starts the server with (the Dockerfile's CMD, between `node` and
 * the script), so the benchmarks measure the server as it runs in the app.
 */
export const SERVER_NODE_OPTIONS: readonly string[] = (() => {
  const cmd = /^CMD (\[.*\])\s*$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'))?.[1];
  if (!cmd) throw new Error('no CMD line in the Dockerfile');
  return (JSON.parse(cmd) as string[]).slice(1, -1);
})();

/** A spawned child with its collected output. */
export interface Child {
  readonly proc: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Spawns `node args…` (Node 24, this process's binary) and collects stdout+stderr. */
export function spawnNode(args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const proc = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let text = '';
  proc.stdout?.setEncoding('utf8').on('data', (c: string) => {
    text += c;
  });
  proc.stderr?.setEncoding('utf8').on('data', (c: string) => {
    text += c;
  });
  return {
    proc,
    output: () => text,
    stop: async (signal = 'SIGTERM') => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = once(proc, 'exit');
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves once `probe(output)` returns a value; rejects if the child exits or time runs out. */
export async function waitForOutput<T>(
  child: Child,
  probe: (text: string) => T | undefined,
  deadlineMs = 30_000,
): Promise<T> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    const value = probe(child.output());
    if (value !== undefined) return value;
    if (child.proc.exitCode !== null) throw new Error(`child exited:\n${child.output()}`);
    await sleep(10);
  }
  throw new Error(`child did not become ready:\n${child.output().slice(-2000)}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}

/** Resident set size of a process in MB, from /proc. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** User+system CPU time of a process in seconds, from /proc (clock ticks of 1/100 s). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Polls `url` until it answers 200; resolves with the milliseconds waited. */
export async function pollHealthy(url: string, deadlineMs = 20_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(2);
  }
  throw new Error(`${url} never became healthy`);
}

/** Reads the HAsync start-up JSON log line (it carries the bound URLs). */
export function startLine(text: string): { admin: string; device: string } | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { admin?: string; device?: string };
      if (entry.admin && entry.device) return { admin: entry.admin, device: entry.device };
    } catch {
      // a partial line
    }
  }
  return undefined;
}
