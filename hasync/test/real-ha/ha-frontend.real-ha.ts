import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync, inflateSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { waitFor } from '../fakes/demo-home.ts';
import { hasChromium, launchBrowser, SCREENSHOTS } from '../helpers/browser.ts';
import { pairDevice, patchDevice } from '../helpers/devices.ts';
import { startTestServer, type TestServer } from '../helpers/hasync.ts';
import { createPairing } from '../helpers/json-http.ts';
import { coldLoad, type RealHa, startRealHa } from '../helpers/real-ha.ts';

// Runs only in `npm run test:real-ha`: real Home Assistant 2024.3.3 with its frontend
// (home-assistant-frontend 20240307.0), HAsync in standalone mode in front of it, and Chromium.
// HA: homeassistant/components/frontend/__init__.py (IndexView, register_static_path),
// homeassistant/components/http/static.py (CachingStaticResource), aiohttp FileResponse (.gz).

const SKIP = hasChromium() ? false : 'chromium not installed (apt-get install -y chromium)';
const SIZES = [
  { label: 'tablet', width: 1024, height: 768 },
  { label: 'phone', width: 390, height: 844 },
] as const;
const OUTPUT = join(SCREENSHOTS, '..');

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET with the given Accept-Encoding, body as sent on the wire (not decompressed). */
function rawGet(url: string, acceptEncoding = 'gzip, deflate, br'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject).end();
  });
}

/** The body decoded (aiohttp compresses the index with deflate when offered, HAsync asks gzip). */
function decoded(raw: Raw): Buffer {
  const encoding = raw.headers['content-encoding'];
  if (encoding === 'gzip') return gunzipSync(raw.body);
  return encoding === 'deflate' ? inflateSync(raw.body) : raw.body;
}

/**
 * Saves `ha-frontend-<name>-<size>.png` at tablet (1024×768) and phone (390×844) size, leaving
 * the page at tablet size (the phone's toolbar folds buttons into a menu).
 */
async function snap(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SCREENSHOTS, `ha-frontend-${name}-${size.label}.png`) });
  }
  await page.setViewportSize({ width: 1024, height: 768 });
}

/** Polls an async check every 100 ms until it holds (the browser and HA are slower than 5 ms). */
function until<T>(
  check: () => Promise<T | undefined | false | null>,
  what: string,
  timeoutMs = 15_000,
) {
  return waitFor(check, what, timeoutMs, 100);
}

type Frame = Record<string, unknown>;

/** Every frame the browser sends on the device socket, and every error answer it gets. */
interface SocketLog {
  readonly sent: Frame[];
  readonly errors: { type: unknown; error: unknown }[];
}

/** Logs the page's device WebSocket traffic (playwright's `websocket` events). */
function logSocket(page: Page): SocketLog {
  const log: SocketLog = { sent: [], errors: [] };
  const typeOf = new Map<unknown, unknown>();
  page.on('websocket', (ws) => {
    ws.on('framesent', (frame) => {
      const msg = JSON.parse(String(frame.payload)) as Frame;
      if (msg.type === 'auth') return; // the access token stays out of the log
      log.sent.push(msg);
      typeOf.set(msg.id, msg.type);
    });
    ws.on('framereceived', (frame) => {
      const parsed = JSON.parse(String(frame.payload)) as Frame | Frame[];
      for (const msg of Array.isArray(parsed) ? parsed : [parsed]) {
        if (msg.type === 'result' && msg.success === false)
          log.errors.push({ type: typeOf.get(msg.id), error: msg.error });
      }
    });
  });
  return log;
}

/**
 * `page.goto`, once more if the frontend's own navigation aborted it (closing a dialog goes
 * `history.back()` a moment later; a goto issued meanwhile ends with net::ERR_ABORTED).
 */
async function gotoAgainIfAborted(page: Page, url: string): Promise<void> {
  try {
    await page.goto(url);
  } catch (err) {
    if (!String((err as Error).message).includes('ERR_ABORTED')) throw err;
    await page.waitForTimeout(500);
    await page.goto(url);
  }
}

/** Home Assistant's own view of an entity's state (its admin token, not HAsync). */
async function haState(ha: RealHa, entityId: string): Promise<string> {
  const res = await fetch(`${ha.url}/api/states/${entityId}`, {
    headers: { authorization: `Bearer ${ha.token}` },
  });
  return ((await res.json()) as { state: string }).state;
}

describe("Home Assistant's frontend through HAsync's device port", { skip: SKIP }, () => {
  let ha: RealHa;
  let server: TestServer;
  let browser: { context: BrowserContext; close(): Promise<void> };
  before(async () => {
    ha = await startRealHa();
    server = await startTestServer({ env: { HASYNC_HA_URL: ha.url, HASYNC_HA_TOKEN: ha.token } });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await ha?.stop();
  });

  test('serves the index at / and at panel paths exactly as Home Assistant renders it, never cached', async () => {
    const direct = await rawGet(`${ha.url}/`);
    assert.equal(direct.status, 200);
    for (const path of [
      '/',
      '/lovelace/0',
      '/config/entities',
      '/developer-tools/state',
      '/profile',
    ]) {
      const res = await rawGet(`${server.deviceUrl}${path}`);
      assert.equal(res.status, 200, path);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.equal(res.headers['cache-control'], 'no-cache');
      assert.equal(decoded(res).toString(), decoded(direct).toString(), `${path} unmodified`);
    }
  });

  test('serves every script the index names, gzip from HA’s pre-compressed files, hashed ones immutable', async () => {
    const html = decoded(await rawGet(`${server.deviceUrl}/`)).toString();
    const scripts = [...html.matchAll(/"(\/frontend_latest\/[\w.-]+\.js)"/g)].map((m) => m[1]);
    assert.ok(scripts.length >= 3, `scripts in the index: ${scripts.join(', ')}`);
    for (const path of scripts) {
      const [mine, theirs] = [
        await rawGet(`${server.deviceUrl}${path}`),
        await rawGet(`${ha.url}${path}`),
      ];
      assert.equal(mine.status, 200, path);
      assert.match(String(mine.headers['content-type']), /javascript/);
      assert.equal(mine.headers['content-encoding'], 'gzip', `${path} passes HA's .gz through`);
      assert.equal(mine.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.deepEqual(mine.body, theirs.body, `${path}: the bytes HA sent`);
      const plain = await rawGet(`${server.deviceUrl}${path}`, 'identity');
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.deepEqual(plain.body, decoded(theirs));
    }
    const manifest = await rawGet(`${server.deviceUrl}/manifest.json`);
    assert.equal(JSON.parse(decoded(manifest).toString()).name, 'Home Assistant');
    const sw = await rawGet(`${server.deviceUrl}/service_worker.js`);
    assert.equal(sw.status, 200);
    assert.notEqual(sw.headers['cache-control'], 'public, max-age=31536000, immutable');
  });

  test('the kiosk moves to /kiosk/ and pair_url opens it there', async () => {
    const kiosk = await rawGet(`${server.deviceUrl}/kiosk/`);
    assert.ok([200, 503].includes(kiosk.status), 'the kiosk (or its not-built answer)');
    const device = await pairDevice(server.adminUrl, server.deviceUrl, { areas: [] });
    assert.ok(device.token);
    const res = await fetch(`${server.adminUrl}/api/pairings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const offer = (await res.json()) as { pair_url: string; code: string };
    assert.ok(offer.pair_url.endsWith(`/kiosk/#code=${offer.code}`), offer.pair_url);
  });

  test('Chromium loads the frontend from the device port with no script refused by the CSP', async () => {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (msg) => {
      if (/Content Security Policy|Refused to/.test(msg.text())) problems.push(msg.text());
    });
    const failed: string[] = [];
    page.on('response', (res) => {
      const url = new URL(res.url());
      if (
        url.origin === server.deviceUrl &&
        res.status() >= 400 &&
        !url.pathname.startsWith('/auth/')
      )
        failed.push(`${res.status()} ${url.pathname}`);
    });
    await page.goto(`${server.deviceUrl}/`);
    // Without a login the frontend sends the browser on to /auth/authorize (HAsync's login page).
    await page.waitForURL(/\/auth\/authorize\?/, { timeout: 30_000 });
    await snap(page, 'first-open');
    assert.deepEqual(problems, []);
    assert.deepEqual(failed, []);
    await page.close();
  });

  test('a tablet’s cold load of the dashboard costs about what it costs from Home Assistant directly', async () => {
    const areas = (await (await fetch(`${server.adminUrl}/api/areas`)).json()) as {
      area_id: string;
    }[];
    const device = await pairDevice(server.adminUrl, server.deviceUrl, {
      areas: areas.map((a) => a.area_id),
    });
    /** A fresh browser already logged in (the tokens the frontend keeps), loading `/` once. */
    const measure = (origin: string, token: string) =>
      coldLoad(origin, token, {
        rendered: 'Ceiling Fan',
        screenshot: join(
          SCREENSHOTS,
          `ha-frontend-cold-load-${origin === ha.url ? 'direct' : 'hasync'}.png`,
        ),
      });
    // Warm HAsync's cache once (every tablet after the first), then measure both, HA first.
    await measure(server.deviceUrl, device.token);
    const direct = await measure(ha.url, ha.userToken);
    const viaHasync = await measure(server.deviceUrl, device.token);
    const result = { direct, via_hasync: viaHasync, at: new Date().toISOString() };
    mkdirSync(OUTPUT, { recursive: true });
    writeFileSync(
      join(OUTPUT, 'ha-frontend-cold-load.json'),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    process.stderr.write(`cold load: ${JSON.stringify(result)}\n`);
    assert.ok(viaHasync.bytes <= direct.bytes * 1.1 + 20_000, 'no more than ~10 % more bytes');
  });

  // Stages (b) and (c) share one logged-in tablet: Chromium with the frontend logged in through
  // HAsync's PIN page, scoped to the kitchen.
  const tablet: { page?: Page; log?: SocketLog; deviceId?: string } = {};
  const tabletPage = () => tablet.page ?? assert.fail('the login step did not run');
  /** Out of the kitchen scope: what the tablet must never show. */
  const OUTSIDE = ['Bed Light', 'Bedroom', 'Living Room', 'Garage', 'Ceiling Lights'];
  const outsideShown = async (page: Page) => {
    const shown: string[] = [];
    for (const text of OUTSIDE) if ((await page.getByText(text).count()) > 0) shown.push(text);
    return shown;
  };

  test('(b) the device port shows the login page, and a PIN from POST /api/pairings logs in', async () => {
    const page = await browser.context.newPage();
    tablet.page = page;
    tablet.log = logSocket(page);
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto(`${server.deviceUrl}/`);
    await page.waitForURL(/\/auth\/authorize\?/);
    await page.getByLabel('PIN').waitFor();
    await snap(page, 'login');
    const offer = await createPairing(server.adminUrl, { areas: ['kitchen'] });
    await page.getByLabel('PIN').fill(offer.pin);
    await page.getByLabel('Name of this device (optional)').fill('Kitchen tablet e2e');
    await page.getByText('Log in', { exact: true }).click();
    await page.waitForURL(/\/lovelace\//);
    const tokens = await page.evaluate(() => localStorage.getItem('hassTokens'));
    assert.ok(tokens, 'the frontend kept its tokens (Keep me logged in is preselected)');
    assert.match(JSON.parse(tokens).access_token, /^hasync_access_/);
    // Paired exactly like POST /api/pair: the admin sees the device with the pairing's scope.
    const devices = (await (await fetch(`${server.adminUrl}/api/devices`)).json()) as {
      id: string;
      name: string;
      areas: string[];
    }[];
    const device = devices.find((d) => d.name === 'Kitchen tablet e2e');
    assert.deepEqual(device?.areas, ['kitchen']);
    tablet.deviceId = device?.id;
  });

  test('(c) the dashboard shows the kitchen and nothing outside it', async () => {
    const page = tabletPage();
    await page.getByText('Carbon monoxide').waitFor();
    for (const name of ['Kitchen', 'Lights', 'Ceiling Fan', 'Window'])
      assert.ok((await page.getByText(name, { exact: true }).count()) > 0, name);
    assert.deepEqual(await outsideShown(page), []);
    // Only the dashboard and history panels: no settings, developer tools, logbook, map or energy.
    const sidebar = page.locator('ha-sidebar');
    for (const panel of ['Overview', 'History'])
      assert.equal(await sidebar.getByText(panel, { exact: true }).count(), 1, panel);
    for (const panel of ['Settings', 'Developer tools', 'Logbook', 'Map', 'Energy', 'Media'])
      assert.equal(await sidebar.getByText(panel, { exact: true }).count(), 0, panel);
    await snap(page, 'dashboard');
  });

  test('(c) tapping a light changes it in Home Assistant, and the tile follows', async () => {
    const page = tabletPage();
    const toggle = page.getByRole('switch', { name: /Lights/ }).first();
    const before = await haState(ha, 'light.kitchen_lights');
    const wasChecked = await toggle.isChecked();
    assert.equal(wasChecked, before === 'on', 'the tile shows what HA says');
    await toggle.click();
    const after = await until(async () => {
      const state = await haState(ha, 'light.kitchen_lights');
      return state !== before && state;
    }, 'Home Assistant to change light.kitchen_lights');
    await until(async () => (await toggle.isChecked()) !== wasChecked, 'the tile to follow');
    assert.equal(await toggle.isChecked(), after === 'on');
    const call = tablet.log?.sent.find((f) => f.type === 'call_service');
    assert.deepEqual(call?.service_data, { entity_id: 'light.kitchen_lights' });
  });

  test("(c) a sensor's more-info dialog shows its history", async () => {
    const page = tabletPage();
    await page.getByText('Carbon monoxide').first().click();
    const dialog = page.locator('ha-more-info-dialog');
    await dialog.getByText('History', { exact: true }).waitFor();
    // The chart draws once history (or statistics) came back for the sensor.
    await dialog.locator('canvas').first().waitFor({ timeout: 20_000 });
    assert.equal(await dialog.getByText('No state history found.').count(), 0);
    const asked = tablet.log?.sent.filter((f) => f.type === 'history/stream') ?? [];
    assert.ok(
      asked.some((f) => JSON.stringify(f.entity_ids) === '["sensor.carbon_monoxide"]'),
      'history/stream for the sensor',
    );
    await snap(page, 'more-info-history');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  test('(c) config, developer tools, history of another entity and search show nothing outside the scope', async () => {
    const page = tabletPage();
    // Panels the device does not have: the frontend falls back to the dashboard.
    for (const path of ['/config/entities', '/developer-tools/state']) {
      await gotoAgainIfAborted(page, `${server.deviceUrl}${path}`);
      await page.waitForURL(/\/lovelace\//);
      await page.getByText('Carbon monoxide').waitFor();
      assert.deepEqual(await outsideShown(page), [], path);
    }
    await page.goto(`${server.deviceUrl}/history?entity_id=light.bed_light`);
    await until(
      async () => tablet.log?.errors.some((e) => e.type === 'history/stream'),
      'the history request for light.bed_light to be refused',
    );
    await page.waitForTimeout(1000);
    assert.deepEqual(await outsideShown(page), [], '/history?entity_id=light.bed_light');
    await snap(page, 'history-outside-scope');
    const refused = tablet.log?.errors.find((e) => e.type === 'history/stream');
    assert.deepEqual(refused?.error, { code: 'unauthorized', message: 'Unauthorized' });
    // The search dialog (the toolbar's search, HA's entity quick bar) lists the scope only.
    await page.goto(`${server.deviceUrl}/lovelace/0`);
    await page.getByText('Carbon monoxide').waitFor();
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const search = page.locator('ha-quick-bar');
    await search.locator('input').fill('light');
    await search.getByText('Lights').first().waitFor();
    assert.deepEqual(await outsideShown(page), [], 'search "light"');
    await search.locator('input').fill('bed');
    await page.waitForTimeout(500);
    assert.deepEqual(await outsideShown(page), [], 'search "bed"');
    await snap(page, 'search');
    await page.keyboard.press('Escape');
  });

  test('(c) the frontend got an answer to everything it asked (nothing unknown)', () => {
    const log = tablet.log ?? assert.fail('no socket log');
    mkdirSync(OUTPUT, { recursive: true });
    writeFileSync(join(OUTPUT, 'ha-frontend-frames.json'), `${JSON.stringify(log, null, 2)}\n`);
    const unknown = log.errors.filter((e) => (e.error as Frame).code === 'unknown_command');
    assert.deepEqual(unknown, []);
    // The only refusals: the generated dashboard's config_not_found, the out-of-scope history, and
    // the frontend's report of that refusal to Home Assistant's system log (no entity service).
    const others = log.errors.filter(
      (e) => !(e.type === 'lovelace/config' || e.type === 'history/stream'),
    );
    assert.deepEqual(others, [
      {
        type: 'call_service',
        error: { code: 'unauthorized', message: 'system_log.write is not an entity service' },
      },
    ]);
  });

  test('(c) an admin scope change appears on the tablet without a reload', async () => {
    // HAsync closes a generated-dashboard session with 1012 when its scope changes; the frontend
    // reconnects by itself and draws the dashboard again from the new, still scoped, registries.
    const page = tabletPage();
    const id = tablet.deviceId ?? assert.fail('no device');
    await page.goto(`${server.deviceUrl}/lovelace/0`);
    await page.getByText('Carbon monoxide').waitFor();
    assert.equal(await page.getByText('Bed Light').count(), 0);
    const res = await patchDevice(server.adminUrl, id, { areas: ['kitchen', 'bedroom'] });
    assert.equal(res.status, 200);
    await page.getByText('Bed Light').waitFor({ timeout: 20_000 }); // never page.reload()
    await page.getByText('Bedroom', { exact: true }).first().waitFor();
    await snap(page, 'scope-changed');
  });

  test('(c) revoking the device returns the browser to the login page', async () => {
    const page = tabletPage();
    const id = tablet.deviceId ?? assert.fail('no device');
    const res = await fetch(`${server.adminUrl}/api/devices/${id}`, { method: 'DELETE' });
    assert.equal(res.status, 204);
    await page.waitForURL(/\/auth\/authorize\?/, { timeout: 30_000 });
    await page.getByLabel('PIN').waitFor();
    // The frontend forgot its tokens (it writes "null" in their place).
    const tokens = await page.evaluate(() => localStorage.getItem('hassTokens'));
    assert.equal(JSON.parse(tokens ?? 'null'), null);
    await page.close();
  });
});
