import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connectDevice, pairDevice } from '../helpers/devices.ts';
import { startDemoServer, type TestServer } from '../helpers/hasync.ts';

let server: TestServer;

before(async () => {
  server = await startDemoServer();
});
after(async () => {
  await server.stop();
});

test('the device registry lists only the devices of scoped entities, each as Home Assistant sent it', async () => {
  const device = await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['kitchen'] });
  const conn = await connectDevice(server.deviceUrl, device.token);
  try {
    const devices = await conn.sendMessagePromise<
      { id: string; name: string | null; area_id: string | null }[]
    >({ type: 'config/device_registry/list' });
    const display = await conn.sendMessagePromise<{ entities: { ei: string; di?: string }[] }>({
      type: 'config/entity_registry/list_for_display',
    });
    const expected = new Set(display.entities.flatMap((e) => (e.di ? [e.di] : [])));
    assert.ok(expected.has('dev_kitchen_lights'));
    assert.deepEqual(new Set(devices.map((d) => d.id)), expected);
    assert.equal(devices.find((d) => d.id === 'dev_kitchen_lights')?.area_id, 'kitchen');
    assert.ok(!devices.some((d) => d.id === 'dev_living_tv'), 'no device from another area');
    for (const entry of devices) {
      assert.deepEqual(entry, server.hasync.cache.devices().get(entry.id), 'the full entry');
    }
  } finally {
    conn.close();
  }
});
