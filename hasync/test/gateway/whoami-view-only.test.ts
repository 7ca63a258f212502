import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connectDevice, pairDevice, patchDevice } from '../helpers/devices.ts';
import { startDemoServer, type TestServer } from '../helpers/hasync.ts';

/** What the kiosk reads to draw view-only tiles without live-looking controls. */

let server: TestServer;

before(async () => {
  server = await startDemoServer();
});
after(async () => {
  await server.stop();
});

interface Whoami {
  read_only: boolean;
  view_only: string[];
  view_only_domains: string[];
}

test('hasync/whoami tells the device its view-only entities in scope and its view-only domains', async () => {
  const device = await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['kitchen'] });
  const conn = await connectDevice(server.deviceUrl, device.token);
  try {
    const before = await conn.sendMessagePromise<Whoami>({ type: 'hasync/whoami' });
    assert.deepEqual(before.view_only, []);
    assert.deepEqual(before.view_only_domains, []);

    const patched = await patchDevice(server.adminUrl, device.device_id, {
      // The bedroom light is outside the kitchen scope: whoami does not name it.
      view_only: ['lock.back_door', 'light.bedroom_ceiling'],
      view_only_domains: ['switch'],
    });
    assert.equal(patched.status, 200);
    const me = await conn.sendMessagePromise<Whoami>({ type: 'hasync/whoami' });
    assert.deepEqual(me.view_only, ['lock.back_door']);
    assert.deepEqual(me.view_only_domains, ['switch']);
    assert.equal(me.read_only, false);
  } finally {
    conn.close();
  }
});
