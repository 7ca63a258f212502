import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DemoHome } from '../../src/demo/demo-home.ts';
import { startTestServer, type TestServer } from '../helpers/hasync.ts';
import { createPairing } from '../helpers/json-http.ts';
import { tempDir } from '../helpers/tmp.ts';

const INLINE = 'window.latestJS=!0';
const INDEX = `<!DOCTYPE html><html><head><title>Home Assistant</title></head><body><home-assistant></home-assistant><script>${INLINE}</script><script type="module" src="/frontend_latest/core.Gn-4CPyde28.js"></script></body></html>`;
const CORE = 'export const core = 1;'.repeat(50);
const CORE_PATH = '/frontend_latest/core.Gn-4CPyde28.js';
const TRANSLATION_PATH = '/static/translations/en-91ac322939ac7481a11bd79d6095f90a.json';
const UNHASHED_PATH = '/static/icons/favicon.ico';

/**
 * A stand-in for Home Assistant's web server: the frontend's index at `/` (or 404 when it has
 * no frontend), static files with HA's month-long Cache-Control, and the pre-compressed variant
 * for a client that accepts gzip, as aiohttp's FileResponse does. Counts requests per path.
 * HA: homeassistant/components/http/static.py CachingStaticResource, aiohttp FileResponse.
 */
async function fakeHomeAssistant(withFrontend: boolean) {
  const hits = new Map<string, number>();
  const files: Record<string, [string, string]> = {
    [CORE_PATH]: ['text/javascript', CORE],
    [TRANSLATION_PATH]: ['application/json', '{"hello":"world"}'],
    [UNHASHED_PATH]: ['image/vnd.microsoft.icon', 'ICO'],
    '/manifest.json': ['application/manifest+json', '{"name":"Home Assistant"}'],
    '/api/': ['application/json', '{"message":"API running."}'],
  };
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const gzip = /gzip/.test(String(req.headers['accept-encoding']));
    const found: [string, string] | undefined =
      path === '/' && withFrontend ? ['text/html; charset=utf-8', INDEX] : files[path];
    if (!found || (!withFrontend && path !== '/api/')) {
      res.writeHead(404).end('404: Not Found');
      return;
    }
    const [type, body] = found;
    const headers: Record<string, string> = { 'content-type': type };
    if (path.startsWith('/static') || path.startsWith('/frontend')) {
      headers['cache-control'] = 'public, max-age=2678400';
    }
    if (gzip) headers['content-encoding'] = 'gzip';
    res.writeHead(200, headers).end(gzip ? gzipSync(body) : body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    hits: (path: string) => hits.get(path) ?? 0,
    stop: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** A GET whose path is sent exactly as written (fetch would normalize `..`). */
function rawGet(base: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/`, { path }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject).end();
  });
}

/** What one describe block runs against: a fake Home Assistant frontend and HAsync in front of it. */
interface Behind {
  upstream: Awaited<ReturnType<typeof fakeHomeAssistant>>;
  server: TestServer;
}

/**
 * Registers the calling describe block's hooks: a kiosk build, a fake Home Assistant that serves a
 * frontend or not, the demo home as its API, and HAsync in standalone mode in front of both.
 */
function behindFakeHomeAssistant(servesFrontend: boolean): Behind {
  const kiosk = tempDir('hasync-kiosk-');
  const ctx = {} as Behind;
  let home: DemoHome | undefined;
  before(async () => {
    writeKiosk(kiosk.dir);
    ctx.upstream = await fakeHomeAssistant(servesFrontend);
    home = new DemoHome({ rate: 0, token: 'fe-token' });
    await home.start();
    ctx.server = await startTestServer({
      kioskRoot: kiosk.dir,
      env: {
        HASYNC_HA_URL: home.url,
        HASYNC_HA_TOKEN: 'fe-token',
        HASYNC_HA_FRONTEND_URL: ctx.upstream.url,
      },
    });
  });
  after(async () => {
    await ctx.server?.stop();
    await home?.stop();
    await ctx.upstream?.stop();
    kiosk.cleanup();
  });
  return ctx;
}

function writeKiosk(dir: string): void {
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><title>HAsync kiosk</title><script src="./assets/index-k1.js"></script>',
  );
  writeFileSync(join(dir, 'assets', 'index-k1.js'), 'void 0');
}

describe("Home Assistant's frontend on the device port", () => {
  const ctx = behindFakeHomeAssistant(true);

  test('serves the index unmodified at / and at panel paths, never cached, its inline scripts allowed by hash', async () => {
    for (const path of [
      '/',
      '/lovelace/0',
      '/config/entities',
      '/developer-tools/state',
      '/profile',
    ]) {
      const res = await fetch(`${ctx.server.deviceUrl}${path}`);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('cache-control'), 'no-cache');
      assert.equal(await res.text(), INDEX);
      const hash = createHash('sha256').update(INLINE).digest('base64');
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, new RegExp(`script-src 'self' 'sha256-${hash.replace(/[+/]/g, '\\$&')}'`));
      assert.doesNotMatch(csp, /unsafe-inline'?;?[^;]*script|script-src[^;]*unsafe/);
    }
    const before = ctx.upstream.hits('/');
    await fetch(`${ctx.server.deviceUrl}/`);
    assert.equal(ctx.upstream.hits('/'), before + 1, 'the index is fetched on every request');
  });

  test('passes the pre-compressed file through as gzip and keeps hashed files immutable in memory', async () => {
    const first = await fetch(`${ctx.server.deviceUrl}${CORE_PATH}`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('content-encoding'), 'gzip');
    assert.equal(first.headers.get('content-type'), 'text/javascript');
    assert.equal(first.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(await first.text(), CORE, 'fetch decodes the gzip body it was sent');
    for (let i = 0; i < 3; i += 1)
      await (await fetch(`${ctx.server.deviceUrl}${CORE_PATH}`)).text();
    assert.equal(ctx.upstream.hits(CORE_PATH), 1, 'served from the cache after the first fetch');
    const translation = await fetch(`${ctx.server.deviceUrl}${TRANSLATION_PATH}`);
    assert.match(translation.headers.get('cache-control') ?? '', /immutable/);
    assert.deepEqual(await translation.json(), { hello: 'world' });
    assert.ok((ctx.server.hasync.frontend?.cachedBytes() ?? 0) > 0);
  });

  test('decompresses for a client that does not accept gzip', async () => {
    const status = await new Promise<[number, string | undefined, string]>((resolve, reject) => {
      const req = request(`${ctx.server.deviceUrl}${CORE_PATH}`, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve([res.statusCode ?? 0, res.headers['content-encoding'], body]));
      });
      req.on('error', reject).end();
    });
    assert.deepEqual(status, [200, undefined, CORE]);
  });

  test('passes other static files on with Home Assistant’s own cache time, fetched each time', async () => {
    const res = await fetch(`${ctx.server.deviceUrl}${UNHASHED_PATH}`);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=2678400');
    await fetch(`${ctx.server.deviceUrl}${UNHASHED_PATH}`);
    assert.equal(ctx.upstream.hits(UNHASHED_PATH), 2);
    const manifest = await fetch(`${ctx.server.deviceUrl}/manifest.json`);
    assert.deepEqual(await manifest.json(), { name: 'Home Assistant' });
  });

  test('forwards nothing outside the frontend: no escapes, no /api, no /auth, no unknown paths', async () => {
    for (const path of ['/static/../api/', '/static/%2e%2e/api/', '/static//api/', '/api/x/../']) {
      assert.equal(await rawGet(ctx.server.deviceUrl, path), 404, path);
    }
    await (await fetch(`${ctx.server.deviceUrl}/auth/authorize`)).arrayBuffer();
    assert.equal(ctx.upstream.hits('/auth/authorize'), 0, 'HAsync answers /auth itself');
    assert.equal((await fetch(`${ctx.server.deviceUrl}/onboarding.html`)).status, 404);
    assert.equal((await fetch(`${ctx.server.deviceUrl}/somewhere`)).status, 404);
    assert.equal(await rawGet(ctx.server.deviceUrl, '/some-dashboard/../api/'), 404);
    assert.equal(ctx.upstream.hits('/api/'), 0, 'the upstream API was never asked');
  });

  test('answers a household dashboard’s own path with the index, without asking upstream about it', async () => {
    // The frontend has no panel there for a device and shows its default dashboard instead.
    for (const path of ['/some-dashboard', '/dashboard-home/more', '/lovelace-wall/0?x=1']) {
      const res = await fetch(`${ctx.server.deviceUrl}${path}`);
      assert.equal(res.status, 200, path);
      assert.equal(await res.text(), INDEX);
    }
    assert.equal(ctx.upstream.hits('/some-dashboard'), 0);
    assert.equal(ctx.upstream.hits('/dashboard-home/more'), 0);
  });

  test('moves the kiosk to /kiosk/ and pair_url opens it there', async () => {
    const page = await fetch(`${ctx.server.deviceUrl}/kiosk/`);
    assert.match(await page.text(), /HAsync kiosk/);
    const asset = await fetch(`${ctx.server.deviceUrl}/kiosk/assets/index-k1.js`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
    const bare = await fetch(`${ctx.server.deviceUrl}/kiosk`, { redirect: 'manual' });
    assert.equal(bare.headers.get('location'), '/kiosk/');
    const offer = await createPairing(ctx.server.adminUrl);
    assert.ok(offer.pair_url.endsWith(`/kiosk/#code=${offer.code}`), offer.pair_url);
  });
});

describe('the device port when Home Assistant serves no frontend', () => {
  const ctx = behindFakeHomeAssistant(false);

  test('sends / to the kiosk, answers 404 for frontend paths and pair_url opens /', async () => {
    const root = await fetch(`${ctx.server.deviceUrl}/`, { redirect: 'manual' });
    assert.equal(root.status, 302);
    assert.equal(root.headers.get('location'), '/kiosk/');
    assert.equal((await fetch(`${ctx.server.deviceUrl}/lovelace/0`)).status, 404);
    assert.equal((await fetch(`${ctx.server.deviceUrl}${CORE_PATH}`)).status, 404);
    assert.match(await (await fetch(`${ctx.server.deviceUrl}/kiosk/`)).text(), /HAsync kiosk/);
    const offer = await createPairing(ctx.server.adminUrl);
    assert.ok(offer.pair_url.endsWith(`:${ctx.server.hasync.device.port}/#code=${offer.code}`));
  });
});
