import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/hasync.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('admin web UI serving', () => {
  const build = tempDir('hasync-web-');
  let server: TestServer;
  before(async () => {
    mkdirSync(join(build.dir, 'assets'));
    writeFileSync(join(build.dir, 'index.html'), '<!doctype html><title>HAsync</title>');
    writeFileSync(join(build.dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    server = await startTestServer({ webRoot: build.dir });
  });
  after(async () => {
    await server.stop();
    build.cleanup();
  });

  test('serves index.html at / and never lets it be cached', async () => {
    const res = await fetch(`${server.adminUrl}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    assert.match(await res.text(), /<title>HAsync<\/title>/);
  });

  test('serves hashed assets as immutable', async () => {
    const res = await fetch(`${server.adminUrl}/assets/index-abc123.js`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('cache-control') ?? '', /immutable/);
  });

  test('keeps the API answering JSON, and unknown paths the JSON error shape', async () => {
    const health = await fetch(`${server.adminUrl}/api/health`);
    assert.equal(health.status, 200);
    const missing = await fetch(`${server.adminUrl}/api/nope`);
    assert.equal(missing.status, 404);
    const body = (await missing.json()) as { error: { code: string } };
    assert.equal(body.error.code, 'not_found');
  });

  test('answers 503 with a remedy at / when the UI was never built', async () => {
    const empty = tempDir('hasync-noweb-');
    const bare = await startTestServer({ webRoot: empty.dir });
    try {
      const res = await fetch(`${bare.adminUrl}/`);
      assert.equal(res.status, 503);
      const body = (await res.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'unavailable');
      assert.match(body.error.message, /npm run build/);
    } finally {
      await bare.stop();
      empty.cleanup();
    }
  });
});
