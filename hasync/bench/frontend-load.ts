/**
 * `npm run bench:frontend`: a tablet's cold load of Home Assistant's dashboard, from Home Assistant
 * directly and through HAsync, measured in the same run. Starts real Home Assistant 2024.3.3 (the
 * real-HA harness) and HAsync (sources, standalone mode) in front of it; each load is a fresh
 * Chromium profile (empty cache) that starts logged in — directly with the non-admin user's token,
 * through HAsync with the tokens of a device login (pairing PIN through HAsync's login flow) — and
 * opens `/` at 1024×768. Both see the same entities (the device's scope is every entity of the
 * home). Measured per load: time from navigation to the dashboard rendered (an entity's card on
 * screen), then, once the network is idle, the bytes transferred (encoded bodies plus headers) and
 * the number of HTTP requests. BENCH_FRONTEND_RUNS loads each (default 5, at least 3),
 * alternating, after one unmeasured load each (the first also fills HAsync's file cache; its own
 * figures are reported on their own line). Writes the block between the frontend-load markers of
 * bench/RESULTS.md and nothing else.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM } from '../test/helpers/browser.ts';
import { coldLoad, startRealHa } from '../test/helpers/real-ha.ts';
import { freePort, ROOT, sleep, spawnNode } from './lib/proc.ts';
import { cell, type Spread, spread } from './lib/stats.ts';

const RUNS = Math.max(3, Number(process.env.BENCH_FRONTEND_RUNS ?? 5));
const RESULTS = join(ROOT, 'bench', 'RESULTS.md');
const START = '<!-- frontend-load:start -->';
const END = '<!-- frontend-load:end -->';
/**
 * An entity's name as the generated dashboard shows it both ways (in the Kitchen's card; names
 * that start with the area's lose that prefix there, so not "Kitchen Lights").
 */
const RENDERED = 'Ceiling Fan';

type Load = Awaited<ReturnType<typeof coldLoad>>;

function log(message: string): void {
  process.stdout.write(`[bench:frontend ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function json<T>(method: string, url: string, body?: unknown, form = false): Promise<T> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.headers = {
      'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json',
    };
    init.body = form
      ? new URLSearchParams(body as Record<string, string>).toString()
      : JSON.stringify(body);
  }
  const res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${new URL(url).pathname}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** A device that sees every entity of the home, logged in as the frontend would be. */
async function deviceLogin(adminUrl: string, deviceUrl: string): Promise<string> {
  const entities = await json<{ entity_id: string }[]>('GET', `${adminUrl}/api/entities`);
  const offer = await json<{ pin: string }>('POST', `${adminUrl}/api/pairings`, {
    entities: entities.map((e) => e.entity_id),
  });
  const clientId = `${deviceUrl}/`;
  const flow = await json<{ flow_id: string }>('POST', `${deviceUrl}/auth/login_flow`, {
    client_id: clientId,
    handler: ['hasync', null],
    redirect_uri: `${deviceUrl}/?auth_callback=1`,
  });
  const done = await json<{ type: string; result: string }>(
    'POST',
    `${deviceUrl}/auth/login_flow/${flow.flow_id}`,
    { client_id: clientId, pin: offer.pin, name: 'Bench tablet' },
  );
  if (done.type !== 'create_entry') throw new Error(`login flow: ${JSON.stringify(done)}`);
  const tokens = await json<{ access_token: string }>(
    'POST',
    `${deviceUrl}/auth/token`,
    { grant_type: 'authorization_code', code: done.result, client_id: clientId },
    true,
  );
  return tokens.access_token;
}

/** One cold load of `/` in a fresh profile, logged in with `token`. */
async function load(origin: string, token: string): Promise<Load> {
  try {
    return await coldLoad(origin, token, { rendered: RENDERED });
  } catch (err) {
    throw new Error(`${origin}: the dashboard did not render`, { cause: err });
  }
}

function row(name: string, loads: readonly Load[]): string {
  const of = (pick: (l: Load) => number): Spread => spread(loads.map(pick));
  const kb = (l: Load) => l.bytes / 1024;
  return `| ${name} | ${loads.length} | ${cell(
    of((l) => l.ms),
    0,
  )} | ${cell(of(kb), 0)} | ${cell(
    of((l) => l.requests),
    0,
  )} |`;
}

function chromiumVersion(): string {
  if (!CHROMIUM) throw new Error('no Chromium on PATH (apt-get install -y chromium)');
  return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim();
}

function block(haVersion: string, direct: Load[], via: Load[], first: Load): string {
  return [
    START,
    "## Home Assistant's frontend: a tablet's cold load, directly and through HAsync",
    '',
    `Measured by \`npm run bench:frontend\` on ${new Date().toISOString().slice(0, 10)}: real Home Assistant ${haVersion} (frontend 20240307.0, the real-HA harness) and HAsync (sources, standalone mode) in front of it on this machine, headless Chromium (${chromiumVersion()}) at 1024×768. Each load is a fresh browser profile (empty cache) that starts logged in and opens \`/\`; directly with the non-admin user's token, through HAsync with the tokens of a device login (pairing PIN through HAsync's login flow). Both see the same entities (the device's scope is every entity of the home), so both generate the same dashboard. Time: navigation to "${RENDERED}" on screen. Bytes (encoded bodies plus headers) and requests: every HTTP request until the network is idle (the WebSocket not counted). Loads alternate between the two; one unmeasured load of each comes first. Median (min–max).`,
    '',
    '| path | loads | time to dashboard rendered ms | transferred KiB | HTTP requests |',
    '| --- | --- | --- | --- | --- |',
    row('Home Assistant directly', direct),
    row('through HAsync', via),
    row('through HAsync, its file cache empty (the first tablet)', [first]),
    '',
    END,
  ].join('\n');
}

/** Puts `text` between the markers (added at the end when absent); the rest stays as it is. */
function writeBlock(text: string): void {
  const current = readFileSync(RESULTS, 'utf8');
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next =
    start >= 0 && end > start
      ? `${current.slice(0, start)}${text}${current.slice(end + END.length)}`
      : `${current.replace(/\n*$/, '\n')}\n${text}\n`;
  writeFileSync(RESULTS, next);
}

async function main(): Promise<void> {
  log('starting real Home Assistant (the real-HA harness)');
  const ha = await startRealHa();
  const dataDir = mkdtempSync(join(tmpdir(), 'hasync-bench-frontend-'));
  const [adminPort, devicePort] = [await freePort(), await freePort()];
  const hasync = spawnNode(['src/main.ts'], {
    HASYNC_HA_URL: ha.url,
    HASYNC_HA_TOKEN: ha.token,
    HASYNC_DATA_DIR: dataDir,
    HASYNC_ADMIN_PORT: String(adminPort),
    HASYNC_DEVICE_PORT: String(devicePort),
    HASYNC_DEVICE_BIND: '127.0.0.1',
    HASYNC_LOG_LEVEL: 'warning',
  });
  try {
    const adminUrl = `http://127.0.0.1:${adminPort}`;
    const deviceUrl = `http://127.0.0.1:${devicePort}`;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const health = await fetch(`${adminUrl}/api/health`).then(
        (r) => r.json() as Promise<{ homeassistant?: string }>,
        () => undefined,
      );
      if (health?.homeassistant === 'connected') break;
      if (hasync.proc.exitCode !== null || Date.now() > deadline)
        throw new Error(`HAsync did not connect to Home Assistant:\n${hasync.output()}`);
      await sleep(200);
    }
    const deviceToken = await deviceLogin(adminUrl, deviceUrl);
    log(`Home Assistant ${ha.version} at ${ha.url}, HAsync at ${deviceUrl}; ${RUNS} loads each`);
    const first = await load(deviceUrl, deviceToken);
    log(`first load through HAsync (its cache empty): ${JSON.stringify(first)}`);
    log(`unmeasured direct load: ${JSON.stringify(await load(ha.url, ha.userToken))}`);
    const direct: Load[] = [];
    const via: Load[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      direct.push(await load(ha.url, ha.userToken));
      via.push(await load(deviceUrl, deviceToken));
      log(
        `run ${i + 1}: direct ${JSON.stringify(direct.at(-1))}, HAsync ${JSON.stringify(via.at(-1))}`,
      );
    }
    const text = block(ha.version, direct, via, first);
    writeBlock(text);
    process.stdout.write(`${text}\n`);
  } finally {
    await hasync.stop();
    await ha.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
