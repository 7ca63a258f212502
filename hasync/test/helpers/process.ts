import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

export interface RunningServer {
  readonly child: ChildProcess;
  readonly adminUrl: string;
  readonly deviceUrl: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Sends a signal and resolves with the exit code and how long the exit took. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; ms: number }>;
}

const START_DEADLINE_MS = 20_000;

/**
 * Spawns a HAsync server process (`node <entry>`, Node 24 from process.execPath) with ports 0
 * and waits for its start-up log line, which carries the bound URLs.
 */
export async function spawnServer(
  entry: string,
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<RunningServer> {
  const child = spawn(process.execPath, [entry], {
    cwd: options.cwd,
    env: { HASYNC_ADMIN_PORT: '0', HASYNC_DEVICE_PORT: '0', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
  });
  const started = await waitFor(
    () => startLine(text),
    child,
    START_DEADLINE_MS,
    () => text,
  );
  return {
    child,
    adminUrl: started.admin,
    deviceUrl: started.device,
    output: () => text,
    stop: async (signal = 'SIGTERM') => {
      const t0 = performance.now();
      const exited = once(child, 'exit') as Promise<[number | null]>;
      child.kill(signal);
      const [code] = await exited;
      return { code, ms: performance.now() - t0 };
    },
  };
}

function startLine(text: string): { admin: string; device: string } | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { admin?: string; device?: string };
    if (entry.admin && entry.device) return { admin: entry.admin, device: entry.device };
  }
  return undefined;
}

async function waitFor<T>(
  probe: () => T | undefined,
  child: ChildProcess,
  deadlineMs: number,
  describe: () => string,
): Promise<T> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    const value = probe();
    if (value !== undefined) return value;
    if (child.exitCode !== null) throw new Error(`server exited early:\n${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start in time:\n${describe()}`);
}

/** Runs a process to completion and returns its exit code and output. */
export async function runToExit(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    output += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    output += c;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output };
}
