import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DemoHome } from '../../src/demo/demo-home.ts';
import { startDemoHome, waitFor } from '../fakes/demo-home.ts';
import { rawClient } from './raw-client.ts';

let home: DemoHome;
before(async () => {
  home = await startDemoHome({ guestToken: 'guest' });
});
after(async () => {
  await home.stop();
});

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/;

// HA: homeassistant/core.py State._as_dict (last_reported since 2024.4; isoformat with +00:00)
test('get_states carries last_reported and isoformat timestamps', async () => {
  const c = await rawClient(home);
  const states = (await c.ask({ id: 1, type: 'get_states' })).result as Record<string, unknown>[];
  const porch = states.find((s) => s.entity_id === 'light.porch');
  assert.deepEqual(Object.keys(porch ?? {}), [
    'entity_id',
    'state',
    'attributes',
    'last_changed',
    'last_reported',
    'last_updated',
    'context',
  ]);
  for (const key of ['last_changed', 'last_reported', 'last_updated']) {
    assert.match(String(porch?.[key]), ISO);
  }
  c.ws.close();
});

// HA: homeassistant/core.py StateMachine.async_set (an unchanged write moves only last_reported, no state_changed)
test('an unchanged write moves last_reported and fires nothing', async () => {
  const c = await rawClient(home);
  await c.ask({ id: 1, type: 'subscribe_events', event_type: 'state_changed' });
  const before = home.state('sensor.office_co2');
  await new Promise((r) => setTimeout(r, 2));
  home.setState('sensor.office_co2', before?.state ?? '');
  const after = home.state('sensor.office_co2');
  assert.equal(after?.last_updated, before?.last_updated);
  assert.notEqual(after?.last_reported, before?.last_reported);
  await c.ask({ id: 2, type: 'ping' });
  assert.equal(c.events(1).length, 0);
  c.ws.close();
});

// HA: homeassistant/components/websocket_api/messages.py _state_diff_event (one entity per event, never merged)
test('subscribe_entities sends one c event per change, in order', async () => {
  const c = await rawClient(home);
  await c.ask({ id: 1, type: 'subscribe_entities', entity_ids: 'light.porch, switch.irrigation' });
  await waitFor(() => c.events(1).length === 1, 'the snapshot');
  assert.deepEqual(Object.keys((c.events(1)[0] as { a: object }).a).sort(), [
    'light.porch',
    'switch.irrigation',
  ]);
  home.setState('light.porch', 'off');
  home.setState('light.porch', 'on');
  home.setState('sensor.office_co2', '700');
  home.setState('switch.irrigation', 'on');
  await waitFor(() => c.events(1).length === 4, 'three changes');
  const changes = c.events(1).slice(1) as { c: Record<string, { '+': { s?: string } }> }[];
  assert.deepEqual(
    changes.map((e) => Object.entries(e.c).map(([id, d]) => `${id}=${d['+'].s}`)),
    [['light.porch=off'], ['light.porch=on'], ['switch.irrigation=on']],
  );
  c.ws.close();
});

// HA: homeassistant/components/websocket_api/commands.py handle_subscribe_entities (include/exclude, 2024.9+)
test('subscribe_entities applies include and exclude filters', async () => {
  const c = await rawClient(home);
  await c.ask({
    id: 1,
    type: 'subscribe_entities',
    include: { domains: ['lock'], entities: ['light.porch'] },
    exclude: { entities: ['lock.back_door'] },
  });
  await waitFor(() => c.events(1).length === 1, 'the snapshot');
  assert.deepEqual(Object.keys((c.events(1)[0] as { a: object }).a).sort(), [
    'light.porch',
    'lock.front_door',
  ]);
  const bad = await c.ask({ id: 2, type: 'subscribe_entities', entity_ids: ['bad'] });
  assert.equal(
    bad.error?.message,
    "Entity ID bad is an invalid entity ID for dictionary value @ data['entity_ids']. Got ['bad']",
  );
  c.ws.close();
});

// HA: homeassistant/core.py Event._as_dict (event envelope) + components/websocket_api/commands.py handle_subscribe_events
test('events carry HA envelope; a non-admin may subscribe only to allow-listed types', async () => {
  const c = await rawClient(home);
  await c.ask({ id: 1, type: 'subscribe_events', event_type: 'floor_registry_updated' });
  home.registry.createFloor('attic', 'Attic', 2);
  await waitFor(() => c.events(1).length === 1, 'the event');
  const ev = c.events(1)[0] as Record<string, unknown>;
  assert.deepEqual(Object.keys(ev), ['event_type', 'data', 'origin', 'time_fired', 'context']);
  assert.deepEqual(ev.data, { action: 'create', floor_id: 'attic' });
  assert.equal(ev.origin, 'LOCAL');
  assert.match(String(ev.time_fired), ISO);
  home.registry.removeFloor('attic');
  const guest = await rawClient(home, 'guest');
  assert.deepEqual(
    (await guest.ask({ id: 1, type: 'subscribe_events', event_type: 'call_service' })).error,
    {
      code: 'unauthorized',
      message: 'Unauthorized',
    },
  );
  assert.equal(
    (await guest.ask({ id: 2, type: 'subscribe_events', event_type: 'state_changed' })).success,
    true,
  );
  assert.equal(
    ((await guest.ask({ id: 3, type: 'auth/current_user' })).result as { is_admin: boolean })
      .is_admin,
    false,
  );
  guest.ws.close();
  c.ws.close();
});

// HA: homeassistant/components/auth/__init__.py websocket_current_user
test('auth/current_user describes the owner for the demo token', async () => {
  const c = await rawClient(home);
  assert.deepEqual((await c.ask({ id: 1, type: 'auth/current_user' })).result, {
    id: 'demo0000000000000000000000000001',
    name: 'Demo User',
    is_owner: true,
    is_admin: true,
    credentials: [{ auth_provider_type: 'homeassistant', auth_provider_id: null }],
    mfa_modules: [{ id: 'totp', name: 'Authenticator app', enabled: false }],
  });
  c.ws.close();
});

// HA: homeassistant/core_config.py Config.as_dict
test('get_config has the keys of Config.as_dict', async () => {
  const c = await rawClient(home);
  const config = (await c.ask({ id: 1, type: 'get_config' })).result as Record<string, unknown>;
  for (const key of [
    'allowlist_external_dirs',
    'allowlist_external_urls',
    'whitelist_external_dirs',
    'config_dir',
    'config_source',
    'country',
    'currency',
    'debug',
    'external_url',
    'internal_url',
    'language',
    'radius',
    'recovery_mode',
    'safe_mode',
    'state',
    'time_zone',
    'unit_system',
    'version',
  ]) {
    assert.ok(key in config, key);
  }
  c.ws.close();
});

// HA: homeassistant/components/config/floor_registry.py, label_registry.py _entry_dict; helpers/area_registry.py json_fragment
test('lists floors, labels and areas with HA fields', async () => {
  const c = await rawClient(home);
  const floors = (await c.ask({ id: 1, type: 'config/floor_registry/list' })).result as Record<
    string,
    unknown
  >[];
  assert.deepEqual(
    floors.map((f) => f.floor_id),
    ['ground_floor', 'first_floor'],
  );
  assert.deepEqual(Object.keys(floors[0] ?? {}).sort(), [
    'aliases',
    'created_at',
    'floor_id',
    'icon',
    'level',
    'modified_at',
    'name',
  ]);
  const labels = (await c.ask({ id: 2, type: 'config/label_registry/list' })).result as Record<
    string,
    unknown
  >[];
  assert.deepEqual(Object.keys(labels[0] ?? {}).sort(), [
    'color',
    'created_at',
    'description',
    'icon',
    'label_id',
    'modified_at',
    'name',
  ]);
  const areas = (await c.ask({ id: 3, type: 'config/area_registry/list' })).result as Record<
    string,
    unknown
  >[];
  assert.equal(areas.find((a) => a.area_id === 'kitchen')?.floor_id, 'ground_floor');
  assert.deepEqual(areas.find((a) => a.area_id === 'garden')?.labels, ['security']);
  c.ws.close();
});

// HA: homeassistant/helpers/entity_registry.py RegistryEntry._as_display_dict
test('list_for_display follows _as_display_dict and leaves disabled entities out', async () => {
  const c = await rawClient(home);
  const r = (await c.ask({ id: 1, type: 'config/entity_registry/list_for_display' })).result as {
    entity_categories: Record<string, string>;
    entities: Record<string, unknown>[];
  };
  assert.deepEqual(r.entity_categories, { '0': 'config', '1': 'diagnostic' });
  const byId = new Map(r.entities.map((e) => [e.ei, e]));
  assert.deepEqual(byId.get('light.porch'), {
    ei: 'light.porch',
    pl: 'demo',
    ai: 'garden',
    lb: [],
    en: 'Porch',
  });
  assert.deepEqual(byId.get('sensor.living_room_thermostat_battery'), {
    ei: 'sensor.living_room_thermostat_battery',
    pl: 'demo',
    lb: [],
    di: 'dev_living_climate',
    ec: 1,
    hn: true,
    en: 'Battery',
    dp: 0,
  });
  assert.equal(byId.get('switch.living_room_thermostat_child_lock')?.tk, 'child_lock');
  assert.equal(byId.get('switch.kitchen_lights_relay')?.hb, true);
  assert.equal(byId.get('switch.kitchen_lights_relay')?.en, 'Kitchen relay');
  assert.ok(!byId.has('sensor.kitchen_sensor_signal_strength'));
  const full = (await c.ask({ id: 2, type: 'config/entity_registry/list' })).result as Record<
    string,
    unknown
  >[];
  const disabled = full.find((e) => e.entity_id === 'sensor.kitchen_sensor_signal_strength');
  assert.equal(disabled?.disabled_by, 'integration');
  assert.deepEqual(full.find((e) => e.entity_id === 'input_boolean.guest_mode')?.categories, {
    helpers: 'modes',
  });
  c.ws.close();
});
