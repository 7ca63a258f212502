import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pairDevice } from '../helpers/devices.ts';
import { startDemoServer, type TestServer } from '../helpers/hasync.ts';
import { type ErrorReply, requestJson } from '../helpers/json-http.ts';

let server: TestServer;
let auth: Record<string, string>;

before(async () => {
  server = await startDemoServer();
  const device = await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['kitchen'] });
  auth = { authorization: `Bearer ${device.token}` };
});
after(async () => {
  await server.stop();
});

describe('the device REST API', () => {
  test('answers 401 in the shared error shape without a valid token', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer hasync_wrong' },
      { authorization: 'Basic x' },
    ]) {
      const res = await requestJson<ErrorReply>(
        'GET',
        `${server.deviceUrl}/api/states`,
        undefined,
        headers,
      );
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'unauthorized');
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

  test('GET /api/states lists only the scoped entities; an out-of-scope one is 404', async () => {
    const res = await requestJson<{ entity_id: string }[]>(
      'GET',
      `${server.deviceUrl}/api/states`,
      undefined,
      auth,
    );
    const ids = res.body.map((s) => s.entity_id);
    assert.ok(ids.includes('light.kitchen_ceiling'));
    assert.ok(!ids.includes('lock.front_door'));
    const one = await requestJson<{ state: string }>(
      'GET',
      `${server.deviceUrl}/api/states/light.kitchen_ceiling`,
      undefined,
      auth,
    );
    assert.equal(one.status, 200);
    const hidden = await requestJson<ErrorReply>(
      'GET',
      `${server.deviceUrl}/api/states/lock.front_door`,
      undefined,
      auth,
    );
    assert.equal(hidden.status, 404);
    assert.equal(hidden.body.error.code, 'not_found');
  });

  test('POST /api/services acts on an in-scope entity and refuses others with 403 unauthorized', async () => {
    const demo = server.hasync.demo;
    assert.ok(demo);
    demo.setState('switch.dishwasher', 'off');
    const ok = await requestJson<{ entity_id: string; state: string }[]>(
      'POST',
      `${server.deviceUrl}/api/services/switch/turn_on`,
      { entity_id: 'switch.dishwasher' },
      auth,
    );
    assert.equal(ok.status, 200);
    assert.equal(demo.state('switch.dishwasher')?.state, 'on');
    const callsBefore = demo.calls.length;
    for (const body of [{ entity_id: 'lock.front_door' }, { device_id: 'dev_front_door' }, {}]) {
      const denied = await requestJson<ErrorReply>(
        'POST',
        `${server.deviceUrl}/api/services/lock/unlock`,
        body,
        auth,
      );
      assert.equal(denied.status, 403, JSON.stringify(body));
      assert.equal(denied.body.error.code, 'unauthorized');
    }
    assert.equal(demo.calls.length, callsBefore);
  });
});
