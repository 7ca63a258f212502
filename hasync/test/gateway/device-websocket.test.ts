import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Connection, callService, getServices, getStates } from 'home-assistant-js-websocket';
import { resolveScope } from '../../src/scope/resolve-scope.ts';
import { waitFor } from '../fakes/demo-home.ts';
import { connectDevice, pairDevice, patchDevice, watchEntities } from '../helpers/devices.ts';
import { startDemoServer, type TestServer } from '../helpers/hasync.ts';
import { requestJson } from '../helpers/json-http.ts';

let server: TestServer;

before(async () => {
  server = await startDemoServer();
});
after(async () => {
  await server.stop();
});

function demo() {
  const home = server.hasync.demo;
  assert.ok(home, 'demo mode runs the demo home in-process');
  return home;
}

function expectedScope(rule: { areas?: string[]; entities?: string[]; excluded?: string[] }) {
  return resolveScope({ areas: [], entities: [], excluded: [], ...rule }, server.hasync.cache);
}

async function refused(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code: string; message: string };
  }
  assert.fail('expected the call to be refused');
}

describe('a kitchen tablet', () => {
  let conn: Connection;
  let device: { device_id: string; token: string };

  before(async () => {
    device = await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['kitchen'] });
    conn = await connectDevice(server.deviceUrl, device.token);
  });
  after(() => conn.close());

  test('subscribeEntities and getStates return exactly the scoped entities', async () => {
    const expected = [...expectedScope({ areas: ['kitchen'] })].sort();
    assert.ok(expected.includes('light.kitchen_ceiling'));
    assert.ok(expected.includes('lock.back_door'));
    const watch = await watchEntities(conn);
    assert.deepEqual(Object.keys(watch.current()).sort(), expected);
    watch.stop();
    const states = await getStates(conn);
    assert.deepEqual(states.map((s) => s.entity_id).sort(), expected);
    assert.equal(
      states.find((s) => s.entity_id === 'light.kitchen_ceiling')?.state,
      demo().state('light.kitchen_ceiling')?.state,
    );
  });

  test('get_services lists the domains in scope and homeassistant’s generic on/off/toggle', async () => {
    const services = await getServices(conn);
    assert.ok(services.light);
    assert.ok(!services.media_player, 'no media player in the kitchen');
    assert.deepEqual(Object.keys(services.homeassistant ?? {}).sort(), [
      'toggle',
      'turn_off',
      'turn_on',
    ]);
  });

  test('a change upstream reaches the device', async () => {
    const watch = await watchEntities(conn);
    demo().setState('light.kitchen_under_cabinet', 'off', {
      brightness: null,
      friendly_name: 'Under Cabinet',
    });
    await waitFor(
      () => watch.current()['light.kitchen_under_cabinet']?.state === 'off',
      'the change',
    );
    demo().setState('light.kitchen_under_cabinet', 'on', {
      brightness: 99,
      friendly_name: 'Under Cabinet',
    });
    await waitFor(
      () => watch.current()['light.kitchen_under_cabinet']?.attributes.brightness === 99,
      'the change',
    );
    watch.stop();
  });

  test('callService on an in-scope entity changes it upstream and the new state arrives', async () => {
    const watch = await watchEntities(conn);
    demo().setState('light.kitchen_ceiling', 'off');
    await waitFor(() => watch.current()['light.kitchen_ceiling']?.state === 'off', 'off first');
    await callService(
      conn,
      'light',
      'turn_on',
      { brightness: 200 },
      { entity_id: 'light.kitchen_ceiling' },
    );
    assert.equal(demo().state('light.kitchen_ceiling')?.state, 'on');
    await waitFor(() => watch.current()['light.kitchen_ceiling']?.state === 'on', 'the new state');
    assert.equal(watch.current()['light.kitchen_ceiling']?.attributes.brightness, 200);
    watch.stop();
  });

  test('calls that reach outside the scope are refused as unauthorized and change nothing', async () => {
    const callsBefore = demo().calls.length;
    const frontDoor = demo().state('lock.front_door')?.state;
    const attempts = [
      callService(conn, 'lock', 'unlock', {}, { entity_id: 'lock.front_door' }),
      callService(conn, 'lock', 'unlock', { entity_id: 'lock.front_door' }),
      callService(conn, 'lock', 'unlock', {}, { device_id: 'dev_front_door' }),
      callService(conn, 'light', 'turn_on', {}, { area_id: 'garden' }),
      callService(conn, 'homeassistant', 'turn_off'),
      callService(conn, 'light', 'turn_on'),
      callService(conn, 'switch', 'turn_on', {}, { entity_id: 'light.kitchen_ceiling' }),
    ];
    for (const attempt of attempts) {
      const err = await refused(attempt);
      assert.equal(err.code, 'unauthorized', JSON.stringify(err));
    }
    assert.equal(demo().calls.length, callsBefore, 'nothing reached Home Assistant');
    assert.equal(demo().state('lock.front_door')?.state, frontDoor);
  });

  test('refused calls are written to the audit log', async () => {
    await refused(callService(conn, 'lock', 'unlock', {}, { entity_id: 'lock.front_door' }));
    const res = await requestJson<
      { action: string; device_id: string; detail: { domain: string } }[]
    >('GET', `${server.adminUrl}/api/audit?limit=50`);
    const entries = Array.isArray(res.body)
      ? res.body
      : (res.body as unknown as { entries: never[] }).entries;
    assert.ok(
      entries.some(
        (e: { action: string; device_id: string }) =>
          e.action === 'service_call_denied' && e.device_id === device.device_id,
      ),
    );
  });

  test('state_changed events arrive for in-scope entities only', async () => {
    const seen: string[] = [];
    const unsubscribe = await conn.subscribeEvents<{ data: { entity_id: string } }>(
      (event) => seen.push(event.data.entity_id),
      'state_changed',
    );
    demo().setState('lock.front_door', 'unlocking');
    demo().setState('switch.dishwasher', 'on');
    await waitFor(() => seen.includes('switch.dishwasher'), 'the in-scope event');
    assert.ok(!seen.includes('lock.front_door'));
    demo().setState('lock.front_door', 'locked');
    await unsubscribe();
  });

  test('other event types cannot be subscribed to', async () => {
    const err = await refused(conn.subscribeEvents(() => undefined, 'call_service'));
    assert.equal(err.code, 'unauthorized');
  });

  test('hasync/whoami names the device and its scope rule', async () => {
    const me = await conn.sendMessagePromise<{
      device_id: string;
      areas: string[];
      read_only: boolean;
    }>({
      type: 'hasync/whoami',
    });
    assert.equal(me.device_id, device.device_id);
    assert.deepEqual(me.areas, ['kitchen']);
    assert.equal(me.read_only, false);
  });

  test('the area registry lists only assigned areas; the entity registry only scoped entities', async () => {
    const areas = await conn.sendMessagePromise<{ area_id: string }[]>({
      type: 'config/area_registry/list',
    });
    assert.deepEqual(
      areas.map((a) => a.area_id),
      ['kitchen'],
    );
    const display = await conn.sendMessagePromise<{ entities: { ei: string }[] }>({
      type: 'config/entity_registry/list_for_display',
    });
    const scope = expectedScope({ areas: ['kitchen'] });
    assert.ok(display.entities.length > 0);
    assert.ok(display.entities.every((e) => scope.has(e.ei)));
  });

  test('an unknown command gets unknown_command', async () => {
    const err = await refused(conn.sendMessagePromise({ type: 'config/auth/list' }));
    assert.equal(err.code, 'unknown_command');
  });
});

describe('live scope', () => {
  test('adding an area makes its entities appear and removing it makes them disappear, without reconnecting', async () => {
    const device = await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['kitchen'] });
    const conn = await connectDevice(server.deviceUrl, device.token);
    try {
      const watch = await watchEntities(conn);
      const office = [...expectedScope({ areas: ['office'] })];
      assert.ok(office.length > 0);
      assert.ok(office.every((id) => !(id in watch.current())));
      assert.equal(
        (await patchDevice(server.adminUrl, device.device_id, { areas: ['kitchen', 'office'] }))
          .status,
        200,
      );
      await waitFor(() => office.every((id) => id in watch.current()), 'office entities to appear');
      assert.equal(
        (await patchDevice(server.adminUrl, device.device_id, { areas: ['kitchen'] })).status,
        200,
      );
      await waitFor(
        () => office.every((id) => !(id in watch.current())),
        'office entities to disappear',
      );
      watch.stop();
    } finally {
      conn.close();
    }
  });

  test('an entity moved into an assigned area appears, and leaves when moved out', async () => {
    const device = await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['kitchen'] });
    const conn = await connectDevice(server.deviceUrl, device.token);
    try {
      const watch = await watchEntities(conn);
      assert.ok(!('light.porch' in watch.current()));
      demo().moveEntityToArea('light.porch', 'kitchen');
      await waitFor(() => 'light.porch' in watch.current(), 'the moved entity to appear');
      demo().moveEntityToArea('light.porch', 'garden');
      await waitFor(() => !('light.porch' in watch.current()), 'the entity to leave');
      watch.stop();
    } finally {
      conn.close();
    }
  });

  test('a read-only device can read but every call is refused', async () => {
    const device = await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['bedroom'] });
    await patchDevice(server.adminUrl, device.device_id, { read_only: true });
    const conn = await connectDevice(server.deviceUrl, device.token);
    try {
      const states = await getStates(conn);
      assert.ok(states.some((s) => s.entity_id === 'light.bedside_left'));
      const callsBefore = demo().calls.length;
      const err = await refused(
        callService(conn, 'light', 'toggle', {}, { entity_id: 'light.bedside_left' }),
      );
      assert.equal(err.code, 'unauthorized');
      assert.equal(demo().calls.length, callsBefore);
    } finally {
      conn.close();
    }
  });
});
