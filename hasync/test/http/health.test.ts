import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DB_ANSWER_MS } from '../../src/http/routes/health.ts';
import { VERSION } from '../../src/shared/version.ts';
import { startTestServer, type TestServer } from '../helpers/hasync.ts';

describe('health', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.stop();
  });

  for (const listener of ['admin', 'device'] as const) {
    test(`the ${listener} listener answers GET /api/health with the documented shape`, async () => {
      const base = listener === 'admin' ? server.adminUrl : server.deviceUrl;
      const res = await fetch(`${base}/api/health`);
      assert.equal(res.status, 200);
      const body = (await res.json()) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body).sort(), [
        'db',
        'homeassistant',
        'status',
        'uptime_s',
        'version',
      ]);
      assert.equal(body.status, 'ok');
      assert.equal(body.db, 'ok');
      assert.equal(body.version, VERSION);
      assert.equal(typeof body.uptime_s, 'number');
      assert.ok(
        ['connected', 'connecting', 'disconnected', 'demo'].includes(String(body.homeassistant)),
      );
    });
  }

  test('the bare /health path answers the same', async () => {
    const res = await fetch(`${server.adminUrl}/health`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { status: string }).status, 'ok');
  });

  test('an unknown path gets a 404: the shared error shape on the admin port, Home Assistant’s on the device port', async () => {
    const admin = await fetch(`${server.adminUrl}/api/nothing-here`);
    assert.equal(admin.status, 404);
    const body = (await admin.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'not_found');
    assert.equal(typeof body.error.message, 'string');
    // HA: aiohttp's HTTPNotFound for a route Home Assistant does not register
    const device = await fetch(`${server.deviceUrl}/api/nothing-here`);
    assert.equal(device.status, 404);
    assert.equal(await device.text(), '404: Not Found');
  });
});

test('health answers 503 with db "error" once the database is unusable', async () => {
  const server = await startTestServer();
  try {
    server.hasync.db.close();
    for (const base of [server.adminUrl, server.deviceUrl]) {
      const res = await fetch(`${base}/api/health`);
      assert.equal(res.status, 503);
      const body = (await res.json()) as { status: string; db: string };
      assert.equal(body.status, 'error');
      assert.equal(body.db, 'error');
    }
  } finally {
    await server.stop();
  }
});

test('a database that stops answering is reported within DB_ANSWER_MS; reads are not repeated inside it', async () => {
  let now = Date.now();
  const server = await startTestServer({ clock: { now: () => now } });
  try {
    const db = server.hasync.db;
    let reads = 0;
    const isHealthy = db.isHealthy.bind(db);
    db.isHealthy = () => {
      reads++;
      return isHealthy();
    };
    const status = async () => (await fetch(`${server.adminUrl}/api/health`)).status;
    assert.equal(await status(), 200);
    const first = reads;
    for (let i = 0; i < 5; i++) assert.equal(await status(), 200);
    assert.equal(reads, first, 'the database was read again inside the window');
    // Unreadable now: still the last answer inside the window, then 503, asked on every request.
    db.run('DROP TABLE schema_migrations');
    now += DB_ANSWER_MS - 1;
    assert.equal(await status(), 200);
    now += 1;
    assert.equal(await status(), 503);
    const failed = reads;
    assert.equal(await status(), 503);
    assert.ok(reads > failed, 'a database that does not answer is asked again');
  } finally {
    await server.stop();
  }
});
