import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { callService } from 'home-assistant-js-websocket';
import {
  SENSITIVE_CALL_WINDOW_MS,
  SENSITIVE_CALLS_RECORDED_PER_WINDOW,
} from '../../src/access/sensitive-calls.ts';
import { connectDevice, pairDevice, patchDevice } from '../helpers/devices.ts';
import { startDemoServer, type TestServer } from '../helpers/hasync.ts';
import { requestJson } from '../helpers/json-http.ts';
import { RawSocket } from '../helpers/raw-socket.ts';

let server: TestServer;
/** The server's clock runs this far ahead of the real one (to end a window without waiting). */
let offsetMs = 0;

before(async () => {
  server = await startDemoServer({ clock: { now: () => Date.now() + offsetMs } });
});
after(async () => {
  await server.stop();
});

interface AuditEntry {
  action: string;
  actor: string;
  device_id: string | null;
  device_name: string | null;
  detail: Record<string, unknown>;
}

async function sensitiveRows(deviceId: string) {
  const res = await requestJson<AuditEntry[]>(
    'GET',
    `${server.adminUrl}/api/audit?device=${deviceId}&limit=500`,
  );
  return res.body.filter((e) => e.action.startsWith('sensitive_call')).reverse();
}

const SCOPE = {
  entities: [
    'lock.front_door',
    'lock.back_door',
    'cover.living_room_blinds',
    'light.kitchen_ceiling',
  ],
};

test('a successful unlock over the WebSocket is recorded as “Hall tablet unlocked Front Door”; blinds and lights are not', async () => {
  const device = await pairDevice(server.adminUrl, server.deviceUrl, {
    ...SCOPE,
    name: 'Hall tablet',
  });
  const conn = await connectDevice(server.deviceUrl, device.token);
  try {
    await callService(conn, 'lock', 'unlock', {}, { entity_id: 'lock.front_door' });
    await callService(conn, 'cover', 'open_cover', {}, { entity_id: 'cover.living_room_blinds' });
    await callService(conn, 'light', 'toggle', {}, { entity_id: 'light.kitchen_ceiling' });
    await callService(
      conn,
      'lock',
      'lock',
      {},
      { entity_id: ['lock.front_door', 'lock.back_door'] },
    );
  } finally {
    conn.close();
  }
  const rows = await sensitiveRows(device.device_id);
  assert.deepEqual(
    rows.map((r) => [r.action, r.actor, r.detail.text, r.detail.words, r.detail.entity_ids]),
    [
      [
        'sensitive_call',
        `device:${device.device_id}`,
        'Hall tablet unlocked Front Door',
        'unlocked Front Door',
        ['lock.front_door'],
      ],
      [
        'sensitive_call',
        `device:${device.device_id}`,
        'Hall tablet locked Back Door and Front Door',
        'locked Back Door and Front Door',
        ['lock.back_door', 'lock.front_door'],
      ],
    ],
  );
  assert.equal(rows[0]?.device_name, 'Hall tablet');
});

test('the REST API records its sensitive calls too, and a refused call records none', async () => {
  const device = await pairDevice(server.adminUrl, server.deviceUrl, {
    ...SCOPE,
    name: 'Porch phone',
  });
  const call = (service: string) =>
    fetch(`${server.deviceUrl}/api/services/lock/${service}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${device.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ entity_id: 'lock.back_door' }),
    });
  assert.equal((await call('unlock')).status, 200);
  await patchDevice(server.adminUrl, device.device_id, { read_only: true });
  const refused = await call('lock');
  assert.equal(refused.status, 401);
  assert.equal(await refused.text(), '401: Unauthorized');
  const denied = await requestJson<AuditEntry[]>(
    'GET',
    `${server.adminUrl}/api/audit?device=${device.device_id}&limit=5`,
  );
  assert.match(
    String(denied.body.find((e) => e.action === 'service_call_denied')?.detail.reason),
    /read-only/,
  );
  const rows = await sensitiveRows(device.device_id);
  assert.deepEqual(
    rows.map((r) => r.detail.text),
    ['Porch phone unlocked Back Door'],
  );
});

test('a device cannot flood the log: 30 sensitive calls a minute are recorded, the rest counted in one summary', async () => {
  const device = await pairDevice(server.adminUrl, server.deviceUrl, { ...SCOPE, name: 'Flooder' });
  const socket = await RawSocket.authenticated(server.deviceUrl, device.token);
  const total = SENSITIVE_CALLS_RECORDED_PER_WINDOW + 7;
  try {
    for (let id = 1; id <= total; id++)
      socket.send({
        id,
        type: 'call_service',
        domain: 'lock',
        service: id % 2 ? 'unlock' : 'lock',
        target: { entity_id: 'lock.back_door' },
      });
    const last = await socket.next((f) => f.id === total, 20_000);
    assert.equal(last.success, true, 'every call still goes through');
    const rows = await sensitiveRows(device.device_id);
    assert.equal(rows.length, SENSITIVE_CALLS_RECORDED_PER_WINDOW);
    assert.ok(rows.every((r) => r.action === 'sensitive_call'));

    // The next call after the window ends closes it: one summary row, then a fresh window.
    offsetMs += SENSITIVE_CALL_WINDOW_MS;
    socket.send({
      id: total + 1,
      type: 'call_service',
      domain: 'lock',
      service: 'unlock',
      target: { entity_id: 'lock.back_door' },
    });
    await socket.next((f) => f.id === total + 1);
    const after = await sensitiveRows(device.device_id);
    assert.deepEqual(after.at(-2)?.detail, {
      summary: '…and 7 more sensitive calls',
      suppressed: 7,
      window_s: 60,
    });
    assert.equal(after.at(-1)?.detail.text, 'Flooder unlocked Back Door');
  } finally {
    socket.close();
  }
});
