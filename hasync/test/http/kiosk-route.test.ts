import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/hasync.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('kiosk web client serving on the device listener (demo mode: no HA frontend)', () => {
  const kiosk = tempDir('hasync-kiosk-');
  const web = tempDir('hasync-web-');
  let server: TestServer;
  before(async () => {
    mkdirSync(join(kiosk.dir, 'assets'));
    writeFileSync(join(kiosk.dir, 'index.html'), '<!doctype html><title>HAsync kiosk</title>');
    writeFileSync(join(kiosk.dir, 'assets', 'index-k1.js'), 'void 0');
    writeFileSync(join(web.dir, 'index.html'), '<!doctype html><title>HAsync admin</title>');
    server = await startTestServer({ kioskRoot: kiosk.dir, webRoot: web.dir });
  });
  after(async () => {
    await server.stop();
    kiosk.cleanup();
    web.cleanup();
  });

  test('serves the kiosk at / of the device listener, never cached, and the admin UI stays on its own', async () => {
    const res = await fetch(`${server.deviceUrl}/`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    assert.match(await res.text(), /HAsync kiosk/);
    const admin = await fetch(`${server.adminUrl}/`);
    assert.match(await admin.text(), /HAsync admin/);
  });

  test('serves hashed kiosk assets as immutable and keeps the device API in JSON', async () => {
    const asset = await fetch(`${server.deviceUrl}/assets/index-k1.js`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
    const health = await fetch(`${server.deviceUrl}/api/health`);
    assert.equal(health.status, 200);
    const missing = await fetch(`${server.deviceUrl}/api/nope`);
    assert.equal(missing.status, 404);
    assert.equal(await missing.text(), '404: Not Found');
  });

  test('also serves the kiosk at /kiosk/ (its assets relative), and /kiosk sends the browser there', async () => {
    const page = await fetch(`${server.deviceUrl}/kiosk/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /HAsync kiosk/);
    const asset = await fetch(`${server.deviceUrl}/kiosk/assets/index-k1.js`);
    assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
    const bare = await fetch(`${server.deviceUrl}/kiosk`, { redirect: 'manual' });
    assert.equal(bare.status, 301);
    assert.equal(bare.headers.get('location'), '/kiosk/');
  });

  test('answers 503 with a remedy at / when the kiosk was never built', async () => {
    const empty = tempDir('hasync-nokiosk-');
    const bare = await startTestServer({ kioskRoot: empty.dir, webRoot: web.dir });
    try {
      const res = await fetch(`${bare.deviceUrl}/`);
      assert.equal(res.status, 503);
      const body = (await res.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'unavailable');
      assert.match(body.error.message, /kiosk.*npm run build/);
    } finally {
      await bare.stop();
      empty.cleanup();
    }
  });
});
