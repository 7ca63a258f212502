// HA: homeassistant/components/lovelace/websocket.py websocket_lovelace_config,
// websocket_lovelace_dashboards; lovelace/dashboard.py LovelaceStorage.async_save (lovelace_updated)
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Connection } from 'home-assistant-js-websocket';
import { waitFor } from '../fakes/demo-home.ts';
import { connectDevice, pairDevice, patchDevice } from '../helpers/devices.ts';
import { startDemoServer, type TestServer } from '../helpers/hasync.ts';
import { requestJson } from '../helpers/json-http.ts';

let server: TestServer;
let conn: Connection;
let deviceId: string;

before(async () => {
  server = await startDemoServer();
  const device = await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['kitchen'] });
  deviceId = device.device_id;
  conn = await connectDevice(server.deviceUrl, device.token);
});
after(async () => {
  conn.close();
  await server.stop();
});

const demo = () => {
  const home = server.hasync.demo;
  assert.ok(home);
  return home;
};

const dashboardConfig = () =>
  conn.sendMessagePromise<Record<string, unknown>>({ type: 'lovelace/config', force: false });

test("the admin API lists Home Assistant's dashboards, the Overview first", async () => {
  const res = await requestJson('GET', `${server.adminUrl}/api/dashboards`);
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, [
    { url_path: 'lovelace', title: 'Overview', icon: null, mode: 'storage' },
    { url_path: 'dashboard-wall', title: 'Wall', icon: 'mdi:tablet-dashboard', mode: 'storage' },
  ]);
});

test('without a chosen dashboard the frontend is told to generate one', async () => {
  await assert.rejects(dashboardConfig(), {
    code: 'config_not_found',
    message: 'No config found.',
  });
});

test('a device given a household dashboard sees it with everything outside its scope removed', async () => {
  const patched = await patchDevice(server.adminUrl, deviceId, { dashboard: 'dashboard-wall' });
  assert.equal(patched.status, 200);
  assert.equal((patched.body as { dashboard: unknown }).dashboard, 'dashboard-wall');
  const got = await requestJson('GET', `${server.adminUrl}/api/devices/${deviceId}`);
  assert.equal((got.body as { dashboard: unknown }).dashboard, 'dashboard-wall');
  assert.deepEqual(await dashboardConfig(), {
    title: 'Wall',
    views: [
      {
        title: 'Kitchen',
        path: 'kitchen',
        badges: ['sensor.kitchen_temperature'],
        cards: [
          { type: 'tile', entity: 'light.kitchen_ceiling' },
          { type: 'entities', title: 'Lights', entities: ['light.kitchen_under_cabinet'] },
          { type: 'vertical-stack', cards: [{ type: 'gauge', entity: 'sensor.kitchen_humidity' }] },
        ],
      },
    ],
  });
});

test('an edit of the chosen dashboard reaches the frontend as an update of its own dashboard', async () => {
  await patchDevice(server.adminUrl, deviceId, { dashboard: 'dashboard-wall' });
  const seen: unknown[] = [];
  const unsubscribe = await conn.subscribeEvents((event: { data: unknown }) => {
    seen.push(event.data);
  }, 'lovelace_updated');
  try {
    // Another dashboard's edit is not the device's business.
    demo().dashboards.save(null, { views: [{ cards: [{ type: 'tile', entity: 'light.porch' }] }] });
    demo().dashboards.save('dashboard-wall', {
      title: 'Wall',
      views: [{ title: 'Now', cards: [{ type: 'tile', entity: 'light.kitchen_ceiling' }] }],
    });
    await waitFor(() => seen.length > 0, 'a lovelace_updated event');
    // The round trip through Home Assistant lets every event fired before it arrive first.
    assert.deepEqual(await dashboardConfig(), {
      title: 'Wall',
      views: [{ title: 'Now', cards: [{ type: 'tile', entity: 'light.kitchen_ceiling' }] }],
    });
    assert.deepEqual(seen, [{ url_path: null }]);
    // Back to the generated dashboard: the frontend is told to fetch it again.
    await patchDevice(server.adminUrl, deviceId, { dashboard: null });
    await waitFor(() => seen.length > 1, 'a lovelace_updated event for the new choice');
    assert.deepEqual(seen[1], { url_path: null });
    await assert.rejects(dashboardConfig(), { code: 'config_not_found' });
  } finally {
    await unsubscribe();
  }
});

test('the Overview can be chosen, and a url_path the device asks for itself stays unknown', async () => {
  demo().dashboards.save(null, {
    views: [
      {
        cards: [
          { type: 'tile', entity: 'light.kitchen_ceiling' },
          { type: 'tile', entity: 'light.porch' },
        ],
      },
    ],
  });
  await patchDevice(server.adminUrl, deviceId, { dashboard: 'lovelace' });
  assert.deepEqual(await dashboardConfig(), {
    views: [{ cards: [{ type: 'tile', entity: 'light.kitchen_ceiling' }] }],
  });
  await assert.rejects(
    conn.sendMessagePromise({ type: 'lovelace/config', url_path: 'dashboard-wall' }),
    { code: 'config_not_found', message: 'Unknown config specified: dashboard-wall' },
  );
});
