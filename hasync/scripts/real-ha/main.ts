/**
 * Starts a real Home Assistant Core (installed on first use into a cached virtualenv), offline,
 * with the demo integration, areas with entities, an admin and a non-admin user. When it is
 * RUNNING, prints ONE JSON line to stdout: {"url","token","user_token","version"}; everything
 * else goes to stderr. SIGTERM/SIGINT (or, with --stop-on-stdin-close, the end of stdin) stops it.
 * Usage: node scripts/real-ha/main.ts [--port N] [--config DIR] [--verbose] [--stop-on-stdin-close]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { note, seconds } from './common.ts';
import { writeConfigDir } from './config-dir.ts';
import { HaSocket } from './ha-api.ts';
import { ensureInstalled, HA_VERSION } from './install.ts';
import { createNonAdminUser, onboardOwner } from './onboard.ts';
import { seedAreas } from './seed.ts';

/** HA's own stage limits are 120 s and 300 s (homeassistant/bootstrap.py); 2 shared cores. */
const HTTP_UP_DEADLINE_MS = 180_000;
const RUNNING_DEADLINE_MS = 300_000;
const STOP_GRACE_MS = 30_000;
const OUTPUT_TAIL_LINES = 200;
const TEMP_PREFIX = 'hasync-real-ha-';
const OWNER_FILE = '.hasync-real-ha-pid';
const LAUNCH_PY = join(dirname(fileURLToPath(import.meta.url)), 'launch.py');

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    config: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    'stop-on-stdin-close': { type: 'boolean', default: false },
  },
});

let hass: ChildProcess | undefined;
let stopping: Promise<void> | undefined;
let tempConfig: string | undefined;
const tail: string[] = [];

/** Binds `port` (0: any) on 127.0.0.1 and releases it; fails with a clear reason if it is taken. */
async function claimPort(port: number): Promise<number> {
  const server = createServer();
  await new Promise<void>((done, reject) => {
    server.once('error', (error) =>
      reject(new Error(`port ${port} is not free: ${error.message}`)),
    );
    server.listen(port, '127.0.0.1', done);
  });
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Removes temp config dirs left by a harness that was killed (SIGKILL cannot clean up). */
function removeOrphanedConfigDirs(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const dir = join(tmpdir(), name);
    let owner = 0;
    try {
      owner = Number(readFileSync(join(dir, OWNER_FILE), 'utf8'));
    } catch {
      continue; // not ours to judge
    }
    if (owner && !alive(owner)) rmSync(dir, { recursive: true, force: true });
  }
}

function keepOutput(child: ChildProcess): void {
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8').on('data', (chunk: string) => {
      if (values.verbose) process.stderr.write(chunk);
      const lines = chunk.split('\n').filter(Boolean);
      // HA keeps running without its HTTP server; waiting for it would only time out.
      const fatal = lines.find((line) => line.includes('Failed to create HTTP server'));
      if (fatal) setImmediate(() => fail(new Error(fatal)));
      tail.push(...lines);
      tail.splice(0, Math.max(0, tail.length - OUTPUT_TAIL_LINES));
    });
  }
}

function startHass(python: string, configDir: string): ChildProcess {
  const child = spawn(python, [LAUNCH_PY, '-c', configDir, '--skip-pip', '--log-no-color'], {
    detached: true, // its own process group, so stop() reaches every process it starts
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HASYNC_REAL_HA_PARENT: String(process.pid) },
  });
  keepOutput(child);
  child.once('exit', (code, signal) => {
    if (!stopping) fail(new Error(`Home Assistant exited unexpectedly (${signal ?? code})`));
  });
  return child;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** SIGTERM to Home Assistant's process group, then SIGKILL after a bound. */
function stop(): Promise<void> {
  stopping ??= (async () => {
    const child = hass;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => {
        note(`Home Assistant did not stop within ${STOP_GRACE_MS / 1000} s; SIGKILL`);
        killGroup(child, 'SIGKILL');
      }, STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
      killGroup(child, 'SIGKILL'); // anything it left in its group
    }
    if (tempConfig) rmSync(tempConfig, { recursive: true, force: true });
  })();
  return stopping;
}

function fail(error: Error): void {
  if (stopping) return; // a signal asked us to stop; that is not a failure
  if (tail.length > 0)
    process.stderr.write(`[real-ha] last Home Assistant output:\n${tail.join('\n')}\n`);
  note(`FAILED: ${error.message}`);
  void stop().finally(() => process.exit(1));
}

async function until<T>(what: string, deadlineMs: number, probe: () => Promise<T | undefined>) {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (stopping) throw new Error(`stopped while waiting for ${what}`);
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // not yet
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${deadlineMs / 1000} s waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 250));
  }
}

async function main(): Promise<void> {
  const installed = await ensureInstalled();
  note(
    installed.installSeconds > 0
      ? `install (cold) took ${installed.installSeconds} s`
      : 'install (warm): cache reused',
  );
  const port = await claimPort(Number(values.port ?? 0));
  const url = `http://127.0.0.1:${port}`;
  if (!values.config) {
    removeOrphanedConfigDirs();
    tempConfig = mkdtempSync(join(tmpdir(), TEMP_PREFIX));
    writeFileSync(join(tempConfig, OWNER_FILE), String(process.pid));
  }
  const configDir = tempConfig ?? resolve(values.config ?? '.');
  if (!tempConfig && existsSync(configDir) && readdirSync(configDir).length > 0)
    throw new Error(`--config ${configDir} must be empty or absent: it is onboarded afresh`);
  writeConfigDir(configDir, port);
  const t0 = performance.now();
  note(`starting Home Assistant ${HA_VERSION} on ${url} with config ${configDir}`);
  hass = startHass(installed.python, configDir);
  await until('/api/onboarding', HTTP_UP_DEADLINE_MS, async () => {
    const res = await fetch(`${url}/api/onboarding`, { signal: AbortSignal.timeout(5000) });
    return res.ok ? true : undefined;
  });
  note(`HTTP up after ${seconds(t0)} s; onboarding`);
  const token = await onboardOwner(url);
  const admin = await HaSocket.connect(url, token);
  try {
    const config = await until('state RUNNING', RUNNING_DEADLINE_MS, async () => {
      const answer = await admin.command<{ state: string; version: string }>('get_config');
      return answer.state === 'RUNNING' ? answer : undefined;
    });
    note(`Home Assistant RUNNING after ${seconds(t0)} s (start time)`);
    await seedAreas(admin);
    const userToken = await createNonAdminUser(url, admin);
    note(`ready after ${seconds(t0)} s (areas and users included)`);
    process.stdout.write(
      `${JSON.stringify({ url, token, user_token: userToken, version: config.version })}\n`,
    );
  } finally {
    admin.close();
  }
}

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.on(signal, () => {
    note(`${signal}: stopping Home Assistant`);
    void stop().then(() => process.exit(0));
  });
}
if (values['stop-on-stdin-close']) {
  process.stdin.on('end', () => void stop().then(() => process.exit(0)));
  process.stdin.resume();
}
main().catch((error: unknown) => fail(error instanceof Error ? error : new Error(String(error))));
