/**
 * Fan-out benchmark: the demo home as its own process, HAsync in standalone mode against it,
 * and a load-client process holding the device WebSockets; then the same frames through the
 * bare `ws` reference. Each point keeps its processes up for all runs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pairDevices } from './lib/pairing.ts';
import {
  type Child,
  cpuSeconds,
  freePort,
  rssMb,
  SERVER_NODE_OPTIONS,
  sleep,
  spawnNode,
  startLine,
  waitForOutput,
} from './lib/proc.ts';
import { type MemoryProbe, probe, probeOptions } from './memory.ts';

const TOKEN = 'bench-upstream-token';

/** One fan-out configuration. */
export interface Point {
  readonly entities: number;
  readonly rate: number;
  readonly devices: number;
}

/** What the load client reports for one measurement window. */
export interface WindowResult {
  published: number;
  expected: number;
  received: number;
  dropped: number;
  lost: number;
  p50: number;
  p99: number;
  max: number;
  curve: [number, number][];
  errors: number;
  cpu: number;
  rss: number;
}

export interface PointResult {
  readonly point: Point;
  /** At the storm point: memory with no device connected (before pairing) and with all of them. */
  memory?: { readonly idle: MemoryProbe; readonly loaded: MemoryProbe };
  readonly hasync: WindowResult[];
  readonly reference: WindowResult[];
  readonly storms: { storm_ms: number; errors: number }[];
}

/** Shared across points: one data dir, devices paired once and reused. */
export interface FanoutState {
  readonly dataDir: string;
  readonly tokens: string[];
  /** What runs HAsync: the bundle the image runs (npm run bench), or src/main.ts. */
  readonly entry?: string;
}

export async function startDemoHome(point: Point): Promise<{ child: Child; ws: string }> {
  const port = await freePort();
  const child = spawnNode([
    'src/demo/cli.ts',
    '--port',
    String(port),
    '--entities',
    String(point.entities),
    '--rate',
    String(point.rate),
    '--token',
    TOKEN,
  ]);
  await waitForOutput(child, (t) => (t.includes('listening') ? true : undefined));
  return { child, ws: `ws://127.0.0.1:${port}/api/websocket` };
}

export async function startHasync(
  dataDir: string,
  haPort: string,
  extra: { args: string[]; env: NodeJS.ProcessEnv } = { args: [], env: {} },
  entry = 'src/main.ts',
): Promise<{ child: Child; admin: string; device: string }> {
  const child = spawnNode([...SERVER_NODE_OPTIONS, ...extra.args, entry], {
    ...extra.env,
    HASYNC_DATA_DIR: dataDir,
    HASYNC_ADMIN_PORT: '0',
    HASYNC_DEVICE_PORT: '0',
    HASYNC_HA_URL: `http://127.0.0.1:${haPort}`,
    HASYNC_HA_TOKEN: TOKEN,
    HASYNC_MAX_DEVICES: '1000',
    // A thousand simulated devices connect from one address; real ones come from many.
    HASYNC_CONNECTIONS_PER_CLIENT: '10000',
  });
  const urls = await waitForOutput(child, startLine);
  const device = urls.device.replace('0.0.0.0', '127.0.0.1');
  for (let i = 0; i < 300; i++) {
    const health = (await (await fetch(`${urls.admin}/api/health`)).json()) as {
      homeassistant: string;
    };
    if (health.homeassistant === 'connected') return { child, admin: urls.admin, device };
    await sleep(50);
  }
  throw new Error('HAsync never connected to the demo home');
}

/** Drives a load-client process over stdin/stdout, one JSON line per command. */
export class LoadClient {
  readonly #child: Child;
  readonly #lines: AsyncIterator<string>;
  constructor(configPath: string) {
    this.#child = spawnNode(['bench/load-client.ts', configPath]);
    this.#lines = createInterface({ input: this.#child.proc.stdout ?? process.stdin })[
      Symbol.asyncIterator
    ]();
  }
  async next<T>(): Promise<T> {
    const line = await this.#lines.next();
    if (line.done) throw new Error(`load client ended:\n${this.#child.output()}`);
    return JSON.parse(line.value) as T;
  }
  async command<T>(cmd: string): Promise<T> {
    this.#child.proc.stdin?.write(`${cmd}\n`);
    return this.next<T>();
  }
  async quit(): Promise<void> {
    this.#child.proc.stdin?.write('quit\n');
    await this.#child.stop();
  }
}

async function measureWindows(
  client: LoadClient,
  pid: number,
  runs: number,
  seconds: number,
): Promise<WindowResult[]> {
  const out: WindowResult[] = [];
  for (let i = 0; i < runs; i++) {
    await client.command('measure');
    const cpu0 = cpuSeconds(pid);
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const cpu = ((cpuSeconds(pid) - cpu0) / ((performance.now() - t0) / 1000)) * 100;
    const rss = rssMb(pid);
    const result = await client.command<WindowResult>('stop');
    out.push({ ...result, cpu, rss });
  }
  return out;
}

export async function runClient(
  url: string,
  tapUrl: string,
  tokens: string[],
  tmp: string,
  name: string,
): Promise<LoadClient> {
  const path = join(tmp, `${name}.json`);
  writeFileSync(path, JSON.stringify({ url, tokens, tapUrl, tapToken: TOKEN }));
  const client = new LoadClient(path);
  await client.next();
  return client;
}

/** How often HAsync logged each warning or error message (pino levels 40 and up). */
function warnings(output: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of output.split('\n')) {
    const entry = /^\{.*"level":([4-6]\d).*"msg":"([^"]*)"/.exec(line);
    if (entry?.[2] !== undefined) out[entry[2]] = (out[entry[2]] ?? 0) + 1;
  }
  return out;
}

/** Runs one point: HAsync (with a reconnect storm at ≥ stormAt devices), then the reference. */
export async function runPoint(
  state: FanoutState,
  point: Point,
  runs: number,
  seconds: number,
  stormAt: number,
  log: (message: string) => void = () => {},
): Promise<PointResult> {
  const home = await startDemoHome(point);
  const haPort = /:(\d+)\//.exec(home.ws)?.[1] ?? '';
  const result: PointResult = { point, hasync: [], reference: [], storms: [] };
  try {
    // At the storm point the servers carry the memory probe; snapshots are taken only where they
    // cannot touch a measured RSS (before pairing, and after the measured windows).
    const probed = point.devices >= stormAt;
    const probeDir = mkdtempSync(join(tmpdir(), 'hasync-bench-probe-'));
    const extra = probed ? probeOptions(probeDir) : undefined;
    let idle: MemoryProbe | undefined;
    if (state.tokens.length < point.devices) {
      // Paired through a server of its own, stopped before the measured one starts: a household
      // pairs its devices over days, and a burst of 1,000 pairings in the measured process would
      // stay in its RSS (V8 keeps the heap it grew).
      const pairer = await startHasync(state.dataDir, haPort, extra, state.entry);
      if (probed) {
        await sleep(2000);
        idle = await probe(pairer.child, probeDir, 0);
      }
      state.tokens.push(
        ...(await pairDevices(pairer.admin, pairer.device, state.tokens.length, point.devices)),
      );
      await pairer.child.stop();
    }
    const server = await startHasync(state.dataDir, haPort, extra, state.entry);
    log(`  HAsync up, ${point.devices} devices paired; connecting`);
    const wsUrl = `${server.device.replace('http', 'ws')}/api/websocket`;
    const client = await runClient(
      wsUrl,
      home.ws,
      state.tokens.slice(0, point.devices),
      state.dataDir,
      'hasync',
    );
    log('  connected; measuring');
    result.hasync.push(
      ...(await measureWindows(client, server.child.proc.pid ?? 0, runs, seconds)),
    );
    if (probed && idle) {
      result.memory = { idle, loaded: await probe(server.child, probeDir, 0) };
    }
    for (let i = 0; probed && i < runs; i++) result.storms.push(await client.command('storm'));
    rmSync(probeDir, { recursive: true, force: true });
    log(`  measured; HAsync warnings: ${JSON.stringify(warnings(server.child.output()))}`);
    await client.quit();
    await server.child.stop();
    log('  reference');
    const ref = spawnNode(['bench/ws-reference.ts', home.ws, TOKEN]);
    const refUrl = await waitForOutput(ref, (t) => /listening on (\S+)/.exec(t)?.[1]);
    const fake = state.tokens.slice(0, point.devices).map(() => 'x');
    const refClient = await runClient(refUrl, home.ws, fake, state.dataDir, 'reference');
    result.reference.push(...(await measureWindows(refClient, ref.proc.pid ?? 0, runs, seconds)));
    await refClient.quit();
    await ref.stop();
  } finally {
    await home.child.stop();
  }
  return result;
}
