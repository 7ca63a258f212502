import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { countUpstreamCalls, stillServing } from '../helpers/attack.ts';
import { pairDevice } from '../helpers/devices.ts';
import { startDemoServer, type TestServer } from '../helpers/hasync.ts';
import { requestJson } from '../helpers/json-http.ts';
import { RawSocket } from '../helpers/raw-socket.ts';

let server: TestServer;

before(async () => {
  server = await startDemoServer();
});
after(async () => {
  await server.stop();
});

const toggle = (id: number) => ({
  id,
  type: 'call_service',
  domain: 'light',
  service: 'toggle',
  target: { entity_id: 'light.kitchen_ceiling' },
});

test('once a device is revoked, nothing more it sends reaches Home Assistant, even if it ignores the close', async (t) => {
  const bystander = await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['kitchen'] });
  const device = await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['kitchen'] });
  const sockets = await Promise.all(
    [0, 1].map(() => RawSocket.authenticated(server.deviceUrl, device.token)),
  );
  const upstream = countUpstreamCalls(server);
  let atRevoke: number | undefined;
  server.hasync.bus.on('test', 'device_revoked', () => {
    atRevoke = upstream.count();
  });
  try {
    // Calls queue up on both sessions (each waits for Home Assistant's answer to the one before).
    let id = 0;
    for (; id < 100; id++) for (const socket of sockets) socket.send(toggle(id + 1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const revoked = requestJson('DELETE', `${server.adminUrl}/api/devices/${device.device_id}`);
    // The device stops reading (it never sees the close) and keeps sending, paced under the limit.
    for (const socket of sockets)
      (socket.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const deadline = Date.now() + 1000;
    while (Date.now() < deadline) {
      id++;
      for (const socket of sockets)
        if (socket.ws.readyState === socket.ws.OPEN) socket.send(toggle(id));
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.equal((await revoked).status, 204);
    assert.ok(atRevoke !== undefined, 'revocation announced');
    await new Promise((resolve) => setTimeout(resolve, 200));
    t.diagnostic(`${atRevoke} calls before the revocation, ${upstream.count() - atRevoke} after`);
    // At most the one call each session had in flight when the revocation came.
    assert.ok(
      upstream.count() - atRevoke <= sockets.length,
      `${upstream.count() - atRevoke} calls reached Home Assistant after the revocation`,
    );
    for (const socket of sockets) {
      (socket.ws as unknown as { _socket: { resume(): void } })._socket.resume();
      assert.ok([4001, 1006].includes(await socket.closed), `closed with ${socket.closeCode}`);
    }
    await assert.rejects(RawSocket.authenticated(server.deviceUrl, device.token), /auth_invalid/);
    await stillServing(server, bystander.token);
  } finally {
    server.hasync.bus.off('test');
    upstream.stop();
  }
});

test('a revoked device is gone from the admin API and its REST token is refused at once', async () => {
  const device = await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['kitchen'] });
  server.hasync.devices.revoke(device.device_id, 'test');
  const list = await requestJson<{ id: string }[]>('GET', `${server.adminUrl}/api/devices`);
  assert.ok(!list.body.some((d) => d.id === device.device_id));
  const one = await requestJson('GET', `${server.adminUrl}/api/devices/${device.device_id}`);
  assert.equal(one.status, 404);
  const res = await fetch(`${server.deviceUrl}/api/states`, {
    headers: { authorization: `Bearer ${device.token}` },
  });
  assert.equal(res.status, 401);
  assert.equal(await res.text(), '401: Unauthorized');
});
