import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/hasync.ts';
import {
  createPairing,
  type ErrorReply,
  type PairedDevice,
  pair,
  requestJson,
} from '../helpers/json-http.ts';
import { openSse } from '../helpers/sse.ts';
import { tempDir } from '../helpers/tmp.ts';

interface Device {
  id: string;
  name: string;
  type: string;
  created_at: string;
  last_seen_at: string | null;
  online: boolean;
  read_only: boolean;
  areas: string[];
  entities: string[];
  excluded: string[];
  scope?: string[];
}

interface AuditEntry {
  id: number;
  action: string;
  actor: string;
  device_id: string | null;
  pairing_id: string | null;
  detail: Record<string, unknown>;
}

async function pairDevice(server: TestServer, body: Record<string, unknown> = {}) {
  const offer = await createPairing(server.adminUrl, body);
  const res = await pair(server.deviceUrl, { pin: offer.pin, name: 'Device', type: 'kiosk' });
  assert.equal(res.status, 201);
  return res.body as PairedDevice;
}

/** A device's household rules (issue 15) until an admin sets them. */
const NO_HOUSEHOLD_RULES = {
  floors: [],
  labels: [],
  domains: [],
  view_only: [],
  view_only_domains: [],
  expires_at: null,
  schedule: null,
  has_action_pin: false,
  pin_domains: [],
  dashboard: null,
  display: { screensaver_after_s: 0, dim_schedule: [] },
};

describe('admin API', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.stop();
  });

  const url = (path: string) => `${server.adminUrl}${path}`;

  test('lists devices with online state and last seen time', async () => {
    const paired = await pairDevice(server, { areas: ['living_room'] });
    const res = await requestJson<Device[]>('GET', url('/api/devices'));
    assert.equal(res.status, 200);
    const device = res.body.find((d) => d.id === paired.device_id);
    assert.ok(device);
    assert.deepEqual(
      { ...device, created_at: typeof device.created_at },
      {
        id: paired.device_id,
        name: 'Device',
        type: 'kiosk',
        created_at: 'string',
        last_seen_at: null,
        online: false,
        read_only: false,
        areas: ['living_room'],
        entities: [],
        excluded: [],
        ...NO_HOUSEHOLD_RULES,
      },
    );
  });

  test('a patch renames, re-scopes and makes read-only, audits each change and announces it', async () => {
    const paired = await pairDevice(server);
    const events = await openSse(url('/api/events'));
    try {
      const res = await requestJson<Device>('PATCH', url(`/api/devices/${paired.device_id}`), {
        name: 'Hall tablet',
        read_only: true,
        areas: ['no_such_area'],
        entities: ['light.not_in_this_home'],
        excluded: ['sensor.not_in_this_home'],
      });
      assert.equal(res.status, 200);
      assert.equal(res.body.name, 'Hall tablet');
      assert.deepEqual(res.body.scope, []);
      const updated = await events.next('device_updated');
      assert.deepEqual(updated.data, {
        device_id: paired.device_id,
        name: 'Hall tablet',
        read_only: true,
        areas: ['no_such_area'],
        entities: ['light.not_in_this_home'],
        excluded: ['sensor.not_in_this_home'],
        ...NO_HOUSEHOLD_RULES,
      });
    } finally {
      events.close();
    }
    const audit = await requestJson<AuditEntry[]>('GET', url('/api/audit?limit=10'));
    const mine = audit.body.filter((e) => e.device_id === paired.device_id).map((e) => e.action);
    for (const action of ['device_renamed', 'device_rescoped', 'device_read_only_changed']) {
      assert.ok(mine.includes(action), `${action} audited`);
    }
    const renamed = audit.body.find((e) => e.action === 'device_renamed');
    assert.deepEqual(renamed?.detail, { from: 'Device', to: 'Hall tablet' });
    assert.equal(renamed?.actor, 'local');
  });

  test('a rejected patch changes nothing', async () => {
    const paired = await pairDevice(server);
    const path = url(`/api/devices/${paired.device_id}`);
    const overlap = await requestJson<ErrorReply>('PATCH', path, {
      name: 'Changed',
      entities: ['light.a'],
      excluded: ['light.a'],
    });
    assert.equal(overlap.status, 400);
    assert.equal(overlap.body.error.code, 'invalid_input');
    const badType = await requestJson('PATCH', path, { name: 'Changed', areas: 'kitchen' });
    assert.equal(badType.status, 400);
    const device = await requestJson<Device>('GET', path);
    assert.equal(device.body.name, 'Device');
    assert.deepEqual(device.body.entities, []);
  });

  test('unknown devices and pairings are 404 in the shared error shape', async () => {
    for (const [method, path] of [
      ['GET', '/api/devices/nope'],
      ['PATCH', '/api/devices/nope'],
      ['DELETE', '/api/devices/nope'],
      ['GET', '/api/pairings/nope'],
      ['DELETE', '/api/pairings/nope'],
    ] as const) {
      const res = await requestJson<ErrorReply>(
        method,
        url(path),
        method === 'PATCH' ? {} : undefined,
      );
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.equal(res.body.error.code, 'not_found');
    }
  });

  test('a cancelled pairing is gone for the device, audited, and cannot be cancelled after use', async () => {
    const offer = await createPairing(server.adminUrl);
    const cancel = await requestJson('DELETE', url(`/api/pairings/${offer.id}`));
    assert.equal(cancel.status, 204);
    assert.equal((await requestJson('DELETE', url(`/api/pairings/${offer.id}`))).status, 204);
    const state = await requestJson<{ status: string }>('GET', url(`/api/pairings/${offer.id}`));
    assert.equal(state.body.status, 'cancelled');
    const late = await pair(server.deviceUrl, { pin: offer.pin, name: 'x' });
    assert.equal(late.status, 410);
    const audit = await requestJson<AuditEntry[]>('GET', url('/api/audit?limit=20'));
    assert.ok(
      audit.body.some((e) => e.action === 'pairing_cancelled' && e.pairing_id === offer.id),
    );

    const used = await createPairing(server.adminUrl);
    assert.equal((await pair(server.deviceUrl, { code: used.code, name: 'y' })).status, 201);
    const refused = await requestJson<ErrorReply>('DELETE', url(`/api/pairings/${used.id}`));
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'conflict');
  });

  test('pages through the audit log with limit and before', async () => {
    const all = await requestJson<AuditEntry[]>('GET', url('/api/audit?limit=500'));
    assert.ok(all.body.length >= 4);
    const firstPage = await requestJson<AuditEntry[]>('GET', url('/api/audit?limit=2'));
    assert.deepEqual(firstPage.body, all.body.slice(0, 2));
    const last = firstPage.body[1]?.id;
    const secondPage = await requestJson<AuditEntry[]>(
      'GET',
      url(`/api/audit?limit=2&before=${last}`),
    );
    assert.deepEqual(secondPage.body, all.body.slice(2, 4));
  });

  test('invalid input gets 400 in the shared error shape', async () => {
    const cases: [string, string, RequestInit][] = [
      ['wrong type', '/api/pairings', json({ name: 42 })],
      ['unknown field', '/api/pairings', json({ name: 'x', admin: true })],
      ['bad entity id', '/api/pairings', json({ entities: ['not an entity'] })],
      ['not JSON', '/api/pairings', { method: 'POST', headers: jsonType, body: '{"name":' }],
      [
        'plain text',
        '/api/pairings',
        { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' },
      ],
      [
        'xml',
        '/api/pairings',
        { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<a/>' },
      ],
      ['no body', '/api/pairings', { method: 'POST' }],
      ['over 64 KiB', '/api/pairings', json({ name: 'x', areas: ['a'.repeat(70 * 1024)] })],
      ['query not a number', '/api/audit?limit=ten', { method: 'GET' }],
      ['query out of range', '/api/audit?limit=501', { method: 'GET' }],
      ['unknown query', '/api/entities?color=red', { method: 'GET' }],
    ];
    for (const [what, path, init] of cases) {
      const res = await fetch(url(path), init);
      assert.equal(res.status, 400, what);
      const body = (await res.json()) as ErrorReply;
      assert.equal(body.error.code, 'invalid_input', what);
      assert.equal(typeof body.error.message, 'string', what);
    }
    const device = await fetch(`${server.deviceUrl}/api/pair`, json({ pin: '12345', name: 'x' }));
    assert.equal(device.status, 400);
    const short = (await device.json()) as ErrorReply;
    assert.equal(short.error.code, 'invalid_input');
    assert.match(short.error.message, /pin/);
    const both = await fetch(
      `${server.deviceUrl}/api/pair`,
      json({ pin: '123456', code: 'abcdefghijklmnopqrstuv', name: 'x' }),
    );
    assert.equal(both.status, 400);
    const twice = (await both.json()) as ErrorReply;
    assert.equal(twice.error.code, 'invalid_input');
    assert.equal(twice.error.message, 'send either pin or code, not both');
    const neither = await fetch(`${server.deviceUrl}/api/pair`, json({ name: 'x' }));
    assert.equal(neither.status, 400);
    assert.match(
      ((await neither.json()) as ErrorReply).error.message,
      /a pin .* or a code .* is required/,
    );
  });

  test('serves an OpenAPI document listing every admin path', async () => {
    const res = await requestJson<{
      openapi: string;
      paths: Record<string, object>;
      components?: { schemas?: Record<string, unknown> };
    }>('GET', url('/api/openapi.json'));
    assert.equal(res.status, 200);
    assert.match(res.body.openapi, /^3\./);
    const paths = Object.keys(res.body.paths).sort();
    for (const path of [
      '/api/health',
      '/api/status',
      '/api/pairings',
      '/api/pairings/{id}',
      '/api/devices',
      '/api/devices/{id}',
      '/api/areas',
      '/api/entities',
      '/api/audit',
      '/api/events',
    ]) {
      assert.ok(paths.includes(path), `${path} documented`);
    }
    const pairings = res.body.paths['/api/pairings'] as { post?: { requestBody?: unknown } };
    assert.ok(pairings.post?.requestBody, 'the request body schema is documented');
    // Made on first request (openapi.ts): the health body, a shared schema added in another
    // plugin, is resolved into the components; HEAD routes are not listed; asked again, the same.
    const health = JSON.stringify(res.body.paths['/api/health']);
    const ref = /"\$ref":"#\/components\/schemas\/([^"]+)"/.exec(health)?.[1];
    assert.ok(ref, `the health answer refers to a component: ${health}`);
    assert.match(JSON.stringify(res.body.components?.schemas?.[ref]), /"uptime_s"/);
    assert.equal(JSON.stringify(res.body.paths).includes('"head"'), false);
    const again = await requestJson<object>('GET', url('/api/openapi.json'));
    assert.deepEqual(again.body, res.body);
  });
});

const jsonType = { 'content-type': 'application/json' };

function json(body: unknown): RequestInit {
  return { method: 'POST', headers: jsonType, body: JSON.stringify(body) };
}

test('refuses a new pairing with a clear 409 once max_devices are paired', async () => {
  const server = await startTestServer({ env: { HASYNC_MAX_DEVICES: '1' } });
  try {
    const early = await createPairing(server.adminUrl);
    await pairDevice(server);
    const refused = await requestJson<ErrorReply>('POST', `${server.adminUrl}/api/pairings`, {});
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'limit_reached');
    assert.match(refused.body.error.message, /max_devices/);
    const late = await pair(server.deviceUrl, { pin: early.pin, name: 'one too many' });
    assert.equal(late.status, 409);
    assert.equal(late.body.error.code, 'limit_reached');
  } finally {
    await server.stop();
  }
});

test('devices, scope and audit survive a restart on the same data folder', async () => {
  const temp = tempDir();
  try {
    const firstRun = await startTestServer({ dataDir: temp.dir });
    const paired = await pairDevice(firstRun, { areas: ['office'], entities: ['light.desk'] });
    await firstRun.stop();
    const secondRun = await startTestServer({ dataDir: temp.dir });
    try {
      const device = await requestJson<Device>(
        'GET',
        `${secondRun.adminUrl}/api/devices/${paired.device_id}`,
      );
      assert.equal(device.status, 200);
      assert.deepEqual(device.body.areas, ['office']);
      assert.deepEqual(device.body.entities, ['light.desk']);
      assert.equal(secondRun.hasync.devices.authenticate(paired.token)?.id, paired.device_id);
      const audit = await requestJson<AuditEntry[]>('GET', `${secondRun.adminUrl}/api/audit`);
      assert.ok(audit.body.some((e) => e.action === 'pairing_completed'));
    } finally {
      await secondRun.stop();
    }
  } finally {
    temp.cleanup();
  }
});

test('stopping the server ends open event streams instead of waiting for them', async () => {
  const server = await startTestServer();
  const events = await openSse(`${server.adminUrl}/api/events`);
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise((resolve) => {
    timer = setTimeout(resolve, 5000, 'still running');
  });
  const stopped = server.stop().then(() => 'stopped');
  try {
    assert.equal(await Promise.race([stopped, limit]), 'stopped');
  } finally {
    clearTimeout(timer);
    events.close();
  }
});
