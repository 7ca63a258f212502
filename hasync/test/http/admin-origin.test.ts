import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { adminTrust } from '../../src/http/admin-trust.ts';
import { createApp } from '../../src/http/create-app.ts';
import { hostNameOf } from '../../src/http/request-origin.ts';
import { CONTENT_SECURITY_POLICY } from '../../src/http/security-headers.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { startTestServer, type TestServer } from '../helpers/hasync.ts';

interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { error?: { code: string; message: string } } | undefined;
}

/** One request over a real socket with exactly the headers given (Host included). */
function send(
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      url,
      {
        method,
        headers: payload ? { 'content-type': 'application/json', ...headers } : headers,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => {
          let parsed: RawReply['body'];
          try {
            parsed = JSON.parse(text) as RawReply['body'];
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('the admin listener reached directly (loopback trust)', () => {
  let server: TestServer;
  let port: string;
  before(async () => {
    server = await startTestServer();
    port = new URL(server.adminUrl).port;
  });
  after(() => server.stop());

  test('refuses a DNS-rebinding Host on the API, the event stream and the UI with 403', async () => {
    for (const path of ['/api/devices', '/api/events', '/api/pairings/x', '/']) {
      const res = await send('GET', `${server.adminUrl}${path}`, {
        host: `rebind.attacker.example:${port}`,
      });
      assert.equal(res.status, 403, path);
      assert.equal(res.body?.error?.code, 'forbidden', path);
      assert.match(res.body?.error?.message ?? '', /Host/);
    }
  });

  test('serves the loopback names it is reached by', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'LOCALHOST.', `127.0.0.1`]) {
      const res = await send('GET', `${server.adminUrl}/api/devices`, { host });
      assert.equal(res.status, 200, host);
    }
  });

  test('refuses a state change from another site, by Origin or Sec-Fetch-Site, and creates nothing', async () => {
    const url = `${server.adminUrl}/api/pairings`;
    const host = `127.0.0.1:${port}`;
    const attempts = [
      { host, origin: 'http://evil.example' },
      { host, origin: `http://localhost:${port}` },
      { host, origin: 'null' },
      { host, 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of attempts) {
      const res = await send('POST', url, headers, {});
      assert.equal(res.status, 403, JSON.stringify(headers));
      assert.equal(res.body?.error?.code, 'forbidden');
      assert.match(res.body?.error?.message ?? '', /cross-site/);
    }
    const revoke = await send('DELETE', `${server.adminUrl}/api/devices/x`, {
      host,
      origin: 'https://evil.example',
    });
    assert.equal(revoke.status, 403);
    const audit = await send('GET', `${server.adminUrl}/api/audit`, { host });
    assert.ok(
      !JSON.stringify(audit.body).includes('pairing_created'),
      'no pairing was created by a refused request',
    );
  });

  test('accepts a state change from its own page, or from a client that sends no Origin', async () => {
    const url = `${server.adminUrl}/api/pairings`;
    const host = `127.0.0.1:${port}`;
    const own = await send('POST', url, { host, origin: `http://${host}` }, {});
    assert.equal(own.status, 201);
    const tool = await send('POST', url, { host }, {});
    assert.equal(tool.status, 201);
  });

  test('health stays open to any Host (the Supervisor watchdog)', async () => {
    const res = await send('GET', `${server.adminUrl}/api/health`, { host: 'anything.example' });
    assert.equal(res.status, 200);
  });

  test('both listeners send a strict CSP that allows same-origin framing only', async () => {
    for (const url of [`${server.adminUrl}/`, `${server.deviceUrl}/`, `${server.adminUrl}/x`]) {
      const res = await send('GET', url, { host: new URL(url).host });
      assert.equal(res.headers['content-security-policy'], CONTENT_SECURITY_POLICY, url);
      assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'self'/);
      assert.match(String(res.headers['content-security-policy']), /script-src 'self'(;|$)/);
      assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN', url);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
    }
  });
});

describe('the admin listener under ingress (app mode)', () => {
  let app: FastifyInstance;
  before(async () => {
    app = createApp(createLogger('error'));
    adminTrust(app, { mode: 'app', adminToken: undefined, adminBind: '0.0.0.0' });
    app.post('/api/change', async () => ({ ok: true }));
    await app.ready();
  });
  after(() => app.close());

  const ingress = (headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: '/api/change', remoteAddress: '172.30.32.2', headers });

  test('serves the Host the person used to reach Home Assistant, from its own page', async () => {
    const res = await ingress({
      host: 'ha.example.org',
      'x-forwarded-host': 'ha.example.org',
      origin: 'https://ha.example.org',
    });
    assert.equal(res.statusCode, 200);
  });

  test('refuses a change whose Origin is another site, even through ingress', async () => {
    const res = await ingress({
      host: 'ha.example.org',
      'x-forwarded-host': 'ha.example.org',
      origin: 'https://evil.example',
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'forbidden');
  });

  test('does not extend the Host exemption to a loopback peer in app mode', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/change',
      remoteAddress: '127.0.0.1',
      headers: { host: 'ha.example.org' },
    });
    assert.equal(res.statusCode, 403);
  });
});

test('host names are compared without port, brackets, case or a final dot', () => {
  assert.equal(hostNameOf('LocalHost.:8099'), 'localhost');
  assert.equal(hostNameOf('[::1]:8099'), '::1');
  assert.equal(hostNameOf('127.0.0.1'), '127.0.0.1');
});

test('behind a proxy, an Origin may match the forwarded host; a page elsewhere still cannot', async () => {
  const server = await startTestServer();
  try {
    const url = `${server.adminUrl}/api/pairings`;
    const host = new URL(server.adminUrl).host;
    const proxied = {
      host,
      'x-forwarded-host': '127.0.0.1:18443',
      origin: 'http://127.0.0.1:18443',
    };
    assert.equal((await send('POST', url, proxied, {})).status, 201);
    const elsewhere = { ...proxied, origin: 'http://127.0.0.1:3000' };
    assert.equal((await send('POST', url, elsewhere, {})).status, 403);
  } finally {
    await server.stop();
  }
});
