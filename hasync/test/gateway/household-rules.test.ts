import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Connection, callService } from 'home-assistant-js-websocket';
import { type DeviceRule, deviceScope } from '../../src/scope/scoped-state.ts';
import { waitFor } from '../fakes/demo-home.ts';
import { connectDevice, pairDevice, patchDevice, watchEntities } from '../helpers/devices.ts';
import { startDemoServer, type TestServer } from '../helpers/hasync.ts';
import { requestJson } from '../helpers/json-http.ts';

/**
 * Issue 15's household rules through Home Assistant's own client on the device port, against the
 * demo home: floor, label and domain selectors (live with the registries), view-only entities and
 * domains, and the action PIN with the code_format that makes clients ask for it. Every change is
 * made while the device stays connected.
 */

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

function expected(rule: Partial<DeviceRule>): string[] {
  const full = { areas: [], entities: [], excluded: [], ...rule };
  return [...deviceScope(full, server.hasync.cache)].sort();
}

async function refused(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code: string; message: string };
  }
  assert.fail('expected the call to be refused');
}

async function patched(id: string, patch: Record<string, unknown>) {
  const res = await patchDevice(server.adminUrl, id, patch);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as Record<string, unknown>;
}

describe('floor, label and domain selectors', () => {
  let conn: Connection;
  let device: { device_id: string; token: string };

  before(async () => {
    device = await pairDevice(server.adminUrl, server.deviceUrl, { name: 'Selectors' });
    conn = await connectDevice(server.deviceUrl, device.token);
  });
  after(() => conn.close());

  test('a floor brings the entities of its areas, and a new area on the floor joins live', async () => {
    const watch = await watchEntities(conn);
    await patched(device.device_id, { floors: ['ground_floor'] });
    const ground = expected({ floors: ['ground_floor'] });
    assert.ok(ground.includes('light.kitchen_ceiling') && ground.includes('lock.back_door'));
    assert.ok(!ground.includes('cover.garage_door'), 'the garden has no floor yet');
    await waitFor(
      () => JSON.stringify(Object.keys(watch.current()).sort()) === JSON.stringify(ground),
      'exactly the ground floor',
    );
    demo().registry.updateArea('garden', { floor_id: 'ground_floor' });
    await waitFor(() => watch.current()['cover.garage_door'], 'the garden joining the floor');
    demo().registry.updateArea('garden', { floor_id: null });
    await waitFor(() => !watch.current()['cover.garage_door'], 'the garden leaving the floor');
    watch.stop();
  });

  test('a label reaches labelled entities, devices and areas, and follows labels live', async () => {
    const watch = await watchEntities(conn);
    await patched(device.device_id, { floors: [], labels: ['kids'] });
    const kids = expected({ labels: ['kids'] });
    assert.ok(kids.includes('light.bedside_left'), 'an entity labelled Kids');
    assert.ok(
      kids.some((id) => id.startsWith('media_player.living')),
      "the TV device's entities",
    );
    await waitFor(
      () => JSON.stringify(Object.keys(watch.current()).sort()) === JSON.stringify(kids),
      'exactly what Kids reaches',
    );
    assert.ok(!watch.current()['light.kitchen_ceiling']);
    demo().registry.updateEntity('light.kitchen_ceiling', { labels: ['kids'] });
    await waitFor(() => watch.current()['light.kitchen_ceiling'], 'a newly labelled light');
    await callService(conn, 'light', 'turn_off', undefined, { entity_id: 'light.kitchen_ceiling' });
    demo().registry.updateEntity('light.kitchen_ceiling', { labels: [] });
    await waitFor(() => !watch.current()['light.kitchen_ceiling'], 'the label taken off again');
    const err = await refused(
      callService(conn, 'light', 'turn_on', undefined, { entity_id: 'light.kitchen_ceiling' }),
    );
    assert.equal(err.code, 'unauthorized');
    watch.stop();
  });

  test('a domain selector reaches every entity of that domain, and selectors add up', async () => {
    const watch = await watchEntities(conn);
    await patched(device.device_id, { labels: ['security'], domains: ['climate'] });
    const both = expected({ labels: ['security'], domains: ['climate'] });
    assert.ok(both.some((id) => id.startsWith('climate.')));
    assert.ok(both.includes('lock.front_door'), "the front door device's lock (label Security)");
    await waitFor(
      () => JSON.stringify(Object.keys(watch.current()).sort()) === JSON.stringify(both),
      'the union of the label and the domain',
    );
    watch.stop();
  });

  test('the admin API shows the selectors, and lists floors and labels with counts', async () => {
    const one = await requestJson<Record<string, unknown>>(
      'GET',
      `${server.adminUrl}/api/devices/${device.device_id}`,
    );
    assert.deepEqual(one.body.labels, ['security']);
    assert.deepEqual(one.body.domains, ['climate']);
    assert.deepEqual(one.body.floors, []);
    const floors = await requestJson<{ floor_id: string; entity_count: number }[]>(
      'GET',
      `${server.adminUrl}/api/floors`,
    );
    assert.equal(
      floors.body.find((f) => f.floor_id === 'ground_floor')?.entity_count,
      expected({ floors: ['ground_floor'] }).length,
    );
    const labels = await requestJson<{ label_id: string; name: string; entity_count: number }[]>(
      'GET',
      `${server.adminUrl}/api/labels`,
    );
    const kids = labels.body.find((l) => l.label_id === 'kids');
    assert.equal(kids?.name, 'Kids');
    assert.equal(kids?.entity_count, expected({ labels: ['kids'] }).length);
  });
});

describe('view-only', () => {
  let conn: Connection;
  let device: { device_id: string; token: string };

  before(async () => {
    device = await pairDevice(server.adminUrl, server.deviceUrl, {
      name: 'Hall tablet',
      areas: ['kitchen'],
    });
    conn = await connectDevice(server.deviceUrl, device.token);
  });
  after(() => conn.close());

  test('a view-only entity is seen but never controlled; the refusal says "view only"', async () => {
    const watch = await watchEntities(conn);
    const body = await patched(device.device_id, { view_only: ['lock.back_door'] });
    assert.deepEqual(body.view_only, ['lock.back_door']);
    assert.ok(watch.current()['lock.back_door'], 'still visible');
    const calls = demo().calls.length;
    const err = await refused(
      callService(conn, 'lock', 'unlock', undefined, { entity_id: 'lock.back_door' }),
    );
    assert.equal(err.code, 'unauthorized');
    assert.equal(err.message, 'view only');
    assert.equal(demo().calls.length, calls, 'nothing reached Home Assistant');
    await callService(conn, 'light', 'toggle', undefined, { entity_id: 'light.kitchen_ceiling' });
    const rest = await fetch(`${server.deviceUrl}/api/services/lock/unlock`, {
      method: 'POST',
      headers: { authorization: `Bearer ${device.token}` },
      body: JSON.stringify({ entity_id: 'lock.back_door' }),
    });
    assert.equal(rest.status, 401, 'REST refuses it too');
    assert.equal(await rest.text(), '401: Unauthorized');
    watch.stop();
  });

  test('a view-only domain covers every entity of it, also through an area target', async () => {
    await patched(device.device_id, { view_only: [], view_only_domains: ['light'] });
    const err = await refused(
      callService(conn, 'light', 'turn_on', undefined, { area_id: 'kitchen' }),
    );
    assert.equal(err.message, 'view only');
    const toggled = await refused(
      callService(conn, 'homeassistant', 'toggle', undefined, {
        entity_id: 'light.kitchen_ceiling',
      }),
    );
    assert.equal(toggled.message, 'view only');
    await callService(conn, 'lock', 'lock', undefined, { entity_id: 'lock.back_door' });
    await patched(device.device_id, { view_only_domains: [] });
    await callService(conn, 'light', 'turn_on', undefined, { entity_id: 'light.kitchen_ceiling' });
  });

  test('the audit names what changed in words', async () => {
    const audit = await requestJson<{ action: string; detail: { changes?: string[] } }[]>(
      'GET',
      `${server.adminUrl}/api/audit?limit=50`,
    );
    const changes = audit.body.flatMap((e) => e.detail.changes ?? []);
    assert.ok(changes.includes('now view-only: Back Door'), JSON.stringify(changes));
    assert.ok(changes.includes('controllable again: Back Door'));
    assert.ok(changes.includes('now view-only: every light'));
    assert.ok(changes.includes('added label Kids'), 'from the selector tests');
  });
});

describe('action PIN', () => {
  let conn: Connection;
  let other: Connection;
  let device: { device_id: string; token: string };

  before(async () => {
    device = await pairDevice(server.adminUrl, server.deviceUrl, {
      name: 'Door tablet',
      areas: ['kitchen'],
    });
    const plain = await pairDevice(server.adminUrl, server.deviceUrl, {
      name: 'Same scope, no PIN',
      areas: ['kitchen'],
    });
    conn = await connectDevice(server.deviceUrl, device.token);
    other = await connectDevice(server.deviceUrl, plain.token);
  });
  after(() => {
    conn.close();
    other.close();
  });

  test('setting a PIN makes the lock advertise a code format, for this device only, live', async () => {
    const watch = await watchEntities(conn);
    const otherWatch = await watchEntities(other);
    assert.equal(watch.current()['lock.back_door']?.attributes.code_format, undefined);
    const body = await patched(device.device_id, { action_pin: '4821', pin_domains: ['lock'] });
    assert.equal(body.has_action_pin, true);
    assert.ok(!('action_pin' in body) && !JSON.stringify(body).includes('4821'));
    // HA: components/lock/__init__.py code_format is a pattern the frontend checks the code with.
    await waitFor(
      () => watch.current()['lock.back_door']?.attributes.code_format === '^\\d{4,8}$',
      'the code format on the lock',
    );
    demo().setState('lock.back_door', 'locked', { friendly_name: 'Back Door' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(otherWatch.current()['lock.back_door']?.attributes.code_format, undefined);
    assert.equal(watch.current()['lock.back_door']?.attributes.code_format, '^\\d{4,8}$');
    watch.stop();
    otherWatch.stop();
  });

  test('a call without the code, or with a wrong one, is refused; the right one is not forwarded', async () => {
    const target = { entity_id: 'lock.back_door' };
    const calls = demo().calls.length;
    const missing = await refused(callService(conn, 'lock', 'unlock', undefined, target));
    assert.deepEqual([missing.code, missing.message], ['unauthorized', 'code required']);
    const wrong = await refused(callService(conn, 'lock', 'unlock', { code: '0000' }, target));
    assert.deepEqual([wrong.code, wrong.message], ['unauthorized', 'wrong code']);
    assert.equal(demo().calls.length, calls);
    await callService(conn, 'lock', 'unlock', { code: '4821' }, target);
    const forwarded = demo().calls.at(-1);
    assert.equal(forwarded?.service, 'unlock');
    assert.ok(!JSON.stringify(forwarded).includes('4821'), 'the code never reaches Home Assistant');
    await waitFor(() => demo().state('lock.back_door')?.state === 'unlocked', 'unlocked');
    // Other domains need no code, and the device without a PIN needs none either.
    await callService(conn, 'light', 'turn_on', undefined, { entity_id: 'light.kitchen_ceiling' });
    await callService(other, 'lock', 'lock', undefined, target);
  });

  test('wrong codes are limited to five a minute and audited', async () => {
    const target = { entity_id: 'lock.back_door' };
    // The right code earlier started the count afresh: five wrong ones in a row use up the minute.
    for (let i = 0; i < 5; i++) {
      const err = await refused(callService(conn, 'lock', 'lock', { code: '1111' }, target));
      assert.equal(err.message, 'wrong code');
    }
    const limited = await refused(callService(conn, 'lock', 'lock', { code: '4821' }, target));
    assert.match(limited.message, /too often/, 'even the right code waits out the minute');
    const audit = await requestJson<{ action: string; detail: { reason?: string } }[]>(
      'GET',
      `${server.adminUrl}/api/audit?limit=50`,
    );
    const refusals = audit.body.filter(
      (e) => e.action === 'service_call_denied' && e.detail.reason === 'wrong code',
    );
    assert.ok(refusals.length >= 5, `audited ${refusals.length}`);
    assert.ok(!server.logs().includes('4821'), 'the PIN is in no log line');
  });

  test('a PIN must be 4 to 8 digits', async () => {
    for (const action_pin of ['123', '123456789', '12a4', 1234]) {
      const res = await patchDevice(server.adminUrl, device.device_id, { action_pin });
      assert.equal(res.status, 400, `refused ${JSON.stringify(action_pin)}`);
      const { error } = res.body as { error: { code: string; message: string } };
      assert.equal(error.code, 'invalid_input');
      assert.match(error.message, /action_pin must (match pattern|be string,null)/);
    }
  });
});
