import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pairDevice, patchDevice } from '../helpers/devices.ts';
import { startDemoServer, type TestServer } from '../helpers/hasync.ts';
import { RawSocket } from '../helpers/raw-socket.ts';

let server: TestServer;

before(async () => {
  server = await startDemoServer();
});
after(async () => {
  await server.stop();
});

describe('a scope change and the generated dashboard', () => {
  test('a session that asked for lovelace/config is closed with 1012 so it redraws; others get a/r', async () => {
    const device = await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['kitchen'] });
    const dashboard = await RawSocket.authenticated(server.deviceUrl, device.token);
    dashboard.send({ id: 1, type: 'lovelace/config' });
    await dashboard.next((f) => f.id === 1);
    const api = await RawSocket.authenticated(server.deviceUrl, device.token);
    api.send({ id: 1, type: 'subscribe_entities' });
    await api.next((f) => f.id === 1 && f.type === 'event');
    const res = await patchDevice(server.adminUrl, device.device_id, {
      areas: ['kitchen', 'bedroom'],
    });
    assert.equal(res.status, 200);
    assert.equal(await dashboard.closed, 1012);
    const delta = await api.next(
      (f) =>
        f.id === 1 &&
        f.type === 'event' &&
        Boolean((f.event as { a?: object }).a) &&
        api.frames.indexOf(f) > 1,
    );
    assert.ok(Object.keys((delta.event as { a: object }).a).length > 0, 'bedroom entities joined');
    assert.equal(api.closeCode, undefined, 'an API client keeps its socket');
    api.close();
  });
});
