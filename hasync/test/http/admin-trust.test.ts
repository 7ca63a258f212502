import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { type AdminTrustConfig, adminTrust } from '../../src/http/admin-trust.ts';
import { createApp } from '../../src/http/create-app.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { startTestServer, type TestServer } from '../helpers/hasync.ts';
import { requestJson } from '../helpers/json-http.ts';

const INGRESS = '172.30.32.2';

/** A bare app with the trust hook and one route that tells who the actor was. */
async function trustApp(config: AdminTrustConfig): Promise<FastifyInstance> {
  const app = createApp(createLogger('error'));
  adminTrust(app, config);
  app.get('/api/whoami', async (req) => ({ actor: req.actor }));
  await app.ready();
  return app;
}

async function ask(
  app: FastifyInstance,
  remoteAddress: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: { actor?: string; error?: { code: string } } }> {
  const res = await app.inject({ url: '/api/whoami', remoteAddress, headers });
  return { status: res.statusCode, body: res.json() };
}

describe('admin trust in app mode', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await trustApp({ mode: 'app', adminToken: undefined });
  });
  after(() => app.close());

  test('serves ingress and names the ingress user as actor', async () => {
    const res = await ask(app, INGRESS, {
      'x-remote-user-name': 'Alice',
      'x-remote-user-id': 'abc123',
    });
    assert.deepEqual(res, { status: 200, body: { actor: 'Alice (abc123)' } });
    assert.equal((await ask(app, `::ffff:${INGRESS}`)).body.actor, 'ingress');
  });

  test('serves loopback without trusting its user headers', async () => {
    for (const peer of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      const res = await ask(app, peer, { 'x-remote-user-name': 'Mallory' });
      assert.deepEqual(res, { status: 200, body: { actor: 'local' } }, peer);
    }
  });

  test('refuses every other address with 403, whatever headers it sends', async () => {
    for (const peer of ['172.30.32.1', '172.30.33.5', '192.168.1.20', '10.0.0.2', 'fe80::1']) {
      const res = await ask(app, peer, {
        'x-remote-user-name': 'Alice',
        authorization: 'Bearer anything',
      });
      assert.equal(res.status, 403, peer);
      assert.equal(res.body.error?.code, 'forbidden');
    }
  });
});

describe('admin trust in standalone and demo mode', () => {
  test('without admin_token only loopback is served', async () => {
    const app = await trustApp({ mode: 'demo', adminToken: undefined });
    try {
      assert.equal((await ask(app, '127.0.0.1')).status, 200);
      assert.equal((await ask(app, INGRESS)).status, 403);
      assert.equal((await ask(app, '192.168.1.20')).status, 403);
    } finally {
      await app.close();
    }
  });

  test('with admin_token other addresses need the bearer token', async () => {
    const app = await trustApp({ mode: 'standalone', adminToken: 'a-long-admin-secret' });
    try {
      const peer = '192.168.1.20';
      assert.equal((await ask(app, peer)).status, 401);
      assert.equal((await ask(app, peer, { authorization: 'Bearer wrong' })).status, 401);
      assert.equal((await ask(app, peer, { authorization: 'a-long-admin-secret' })).status, 401);
      const ok = await ask(app, peer, { authorization: 'Bearer a-long-admin-secret' });
      assert.deepEqual(ok, { status: 200, body: { actor: 'admin-token' } });
      assert.equal((await ask(app, '127.0.0.1')).body.actor, 'local');
    } finally {
      await app.close();
    }
  });
});

describe('the real admin listener in app mode', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      env: { SUPERVISOR_TOKEN: 'supervisor-test-token', HASYNC_ADMIN_BIND: '127.0.0.1' },
    });
  });
  after(() => server.stop());

  test('refuses a non-ingress peer and records the ingress user as actor', async () => {
    const app = server.hasync.admin.app;
    const refused = await app.inject({ url: '/api/devices', remoteAddress: '192.168.1.20' });
    assert.equal(refused.statusCode, 403);
    const created = await app.inject({
      method: 'POST',
      url: '/api/pairings',
      remoteAddress: INGRESS,
      headers: { 'x-remote-user-name': 'Alice', 'x-remote-user-id': 'u1' },
      payload: { name: 'Tablet' },
    });
    assert.equal(created.statusCode, 201);
    const audit = await requestJson<{ action: string; actor: string }[]>(
      'GET',
      `${server.adminUrl}/api/audit?limit=1`,
    );
    assert.equal(audit.status, 200, 'loopback is served over a real socket');
    assert.deepEqual(
      audit.body.map((e) => [e.action, e.actor]),
      [['pairing_created', 'Alice (u1)']],
    );
  });

  test('health stays open to the watchdog from any address', async () => {
    const res = await server.hasync.admin.app.inject({
      url: '/api/health',
      remoteAddress: '172.30.33.9',
    });
    assert.notEqual(res.statusCode, 403);
  });
});
