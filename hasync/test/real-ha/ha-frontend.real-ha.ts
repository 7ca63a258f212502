import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync, inflateSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { hasChromium, launchBrowser, SCREENSHOTS } from '../helpers/browser.ts';
import { pairDevice } from '../helpers/devices.ts';
import { startTestServer, type TestServer } from '../helpers/hasync.ts';
import { type RealHa, startRealHa } from '../helpers/real-ha.ts';

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

/** Saves `ha-frontend-<name>-<size>.png` at tablet (1024×768) and phone (390×844) size. */
async function snap(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SCREENSHOTS, `ha-frontend-${name}-${size.label}.png`) });
  }
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
    const measure = async (origin: string, token: string) => {
      const { context, close } = await launchBrowser();
      try {
        const tokens = {
          access_token: token,
          refresh_token: 'unused',
          expires: Date.now() + 3_600_000,
          expires_in: 3600,
          token_type: 'Bearer',
          hassUrl: origin,
          clientId: `${origin}/`,
        };
        await context.addInitScript((value) => {
          localStorage.setItem('hassTokens', value);
        }, JSON.stringify(tokens));
        const page = await context.newPage();
        await page.setViewportSize({ width: 1024, height: 768 });
        let bytes = 0;
        let requests = 0;
        page.on('requestfinished', async (req) => {
          const sizes = await req.sizes().catch(() => undefined);
          if (!sizes) return;
          requests += 1;
          bytes += sizes.responseBodySize + sizes.responseHeadersSize;
        });
        const started = performance.now();
        await page.goto(`${origin}/`, { waitUntil: 'networkidle' });
        const ms = Math.round(performance.now() - started);
        const shot = origin === ha.url ? 'direct' : 'hasync';
        await page.screenshot({ path: join(SCREENSHOTS, `ha-frontend-cold-load-${shot}.png`) });
        return { ms, bytes, requests, url: new URL(page.url()).pathname };
      } finally {
        await close();
      }
    };
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
});
