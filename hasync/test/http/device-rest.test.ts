import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HassState } from '../../src/protocol/home-assistant.ts';
import { pairDevice } from '../helpers/devices.ts';
import { startDemoServer, type TestServer } from '../helpers/hasync.ts';
import { requestJson } from '../helpers/json-http.ts';

// HA: homeassistant/components/api/__init__.py (the views) and http/view.py (their error bodies)

let server: TestServer;
let auth: Record<string, string>;
let deviceId: string;

before(async () => {
  server = await startDemoServer();
  const device = await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['kitchen'] });
  auth = { authorization: `Bearer ${device.token}` };
  deviceId = device.device_id;
});
after(async () => {
  await server.stop();
});

async function request(method: string, path: string, body?: string, headers = auth) {
  const res = await fetch(`${server.deviceUrl}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body }),
  });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    text: await res.text(),
  };
}

describe('the device REST API', () => {
  test('answers 401 "401: Unauthorized" without a valid token, as Home Assistant does', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer hasync_wrong' },
      { authorization: 'Basic x' },
    ]) {
      const res = await request('GET', '/api/states', undefined, headers);
      assert.equal(res.status, 401);
      assert.equal(res.text, '401: Unauthorized');
    }
  });

  test('GET /api/ says the API is running', async () => {
    const res = await requestJson('GET', `${server.deviceUrl}/api/`, undefined, auth);
    assert.deepEqual(res.body, { message: 'API running.' });
  });

  test('GET /api/config returns Home Assistant’s config', async () => {
    const res = await requestJson<{ version: string }>(
      'GET',
      `${server.deviceUrl}/api/config`,
      undefined,
      auth,
    );
    assert.equal(res.status, 200);
    assert.equal(res.body.version, server.hasync.demo?.haVersion);
  });

  test('GET /api/states lists only the scoped entities, each as Home Assistant sent it', async () => {
    const res = await requestJson<HassState[]>(
      'GET',
      `${server.deviceUrl}/api/states`,
      undefined,
      auth,
    );
    const ids = res.body.map((s) => s.entity_id);
    assert.ok(ids.includes('light.kitchen_ceiling'));
    assert.ok(!ids.includes('lock.front_door'));
    const kitchen = res.body.find((s) => s.entity_id === 'light.kitchen_ceiling');
    assert.deepEqual(kitchen, server.hasync.cache.state('light.kitchen_ceiling'));
  });

  test('GET /api/states/<id>: 200 in scope, 401 outside it whether it exists or not', async () => {
    const one = await requestJson<HassState>(
      'GET',
      `${server.deviceUrl}/api/states/light.kitchen_ceiling`,
      undefined,
      auth,
    );
    assert.equal(one.status, 200);
    assert.equal(one.body.entity_id, 'light.kitchen_ceiling');
    for (const id of ['lock.front_door', 'light.does_not_exist', 'not-an-id']) {
      const res = await request('GET', `/api/states/${id}`);
      assert.equal(res.status, 401, id);
      assert.equal(res.text, '401: Unauthorized');
    }
  });

  test('POST /api/services returns the states the call changed', async () => {
    const demo = server.hasync.demo;
    assert.ok(demo);
    demo.setState('switch.dishwasher', 'off');
    const ok = await requestJson<HassState[]>(
      'POST',
      `${server.deviceUrl}/api/services/switch/turn_on`,
      { entity_id: 'switch.dishwasher' },
      auth,
    );
    assert.equal(ok.status, 200);
    assert.equal(demo.state('switch.dishwasher')?.state, 'on');
    assert.deepEqual(
      ok.body.map((s) => [s.entity_id, s.state]),
      [['switch.dishwasher', 'on']],
    );
  });

  test('POST /api/services refuses targets outside the scope with 401 and calls nothing', async () => {
    const demo = server.hasync.demo;
    assert.ok(demo);
    const callsBefore = demo.calls.length;
    for (const body of [
      { entity_id: 'lock.front_door' },
      { device_id: 'dev_front_door' },
      { label_id: 'security' },
      { floor_id: 'first_floor' },
      {},
    ]) {
      const denied = await request('POST', '/api/services/lock/unlock', JSON.stringify(body));
      assert.equal(denied.status, 401, JSON.stringify(body));
      assert.equal(denied.text, '401: Unauthorized');
    }
    assert.equal(demo.calls.length, callsBefore);
    // Home Assistant's body says only "Unauthorized": the reason is in the audit log, one per call.
    const audit = await requestJson<{ action: string; detail: { reason: string } }[]>(
      'GET',
      `${server.adminUrl}/api/audit?device=${deviceId}&limit=5`,
    );
    const reasons = audit.body
      .filter((e) => e.action === 'service_call_denied')
      .map((e) => e.detail.reason)
      .reverse();
    const outside = "the call reaches an entity outside this device's scope";
    assert.deepEqual(reasons, [
      outside, // lock.front_door
      outside, // its device
      outside, // the security label
      'the target reaches no entity this service acts on', // no lock on the first floor
      'a call must target at least one entity in scope',
    ]);
  });

  test('POST /api/services with a body that is not JSON says so with 400', async () => {
    const res = await request('POST', '/api/services/switch/turn_on', '{"entity_id": ');
    assert.equal(res.status, 400);
    assert.deepEqual(JSON.parse(res.text), { message: 'Data should be valid JSON.' });
  });

  test('an unknown service is 400 Bad Request', async () => {
    const res = await request(
      'POST',
      '/api/services/switch/fly',
      JSON.stringify({ entity_id: 'switch.dishwasher' }),
    );
    assert.equal(res.status, 400);
    assert.equal(res.text, '400: Bad Request');
  });
});
