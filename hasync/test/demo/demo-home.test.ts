import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  type Connection,
  callService,
  ERR_INVALID_AUTH,
  getConfig,
  getServices,
  getStates,
  type HassEntities,
  subscribeEntities,
} from 'home-assistant-js-websocket';
import type { DemoHome } from '../../src/demo/demo-home.ts';
import { connectClient, startDemoHome, waitFor } from '../fakes/demo-home.ts';

describe("the demo home, driven by Home Assistant's own client", () => {
  let home: DemoHome;
  let conn: Connection;
  let entities: HassEntities | undefined;

  before(async () => {
    home = await startDemoHome();
    conn = await connectClient(home);
    subscribeEntities(conn, (e) => {
      entities = e;
    });
    await waitFor(() => entities, 'the first entities snapshot');
  });

  after(async () => {
    conn.close();
    await home.stop();
  });

  test('reports its version and a believable home of about 75 entities in 6 areas', async () => {
    assert.equal(conn.haVersion, home.haVersion);
    const states = await getStates(conn);
    assert.ok(states.length >= 70 && states.length <= 85, `${states.length} entities`);
    const areas = await conn.sendMessagePromise<{ area_id: string }[]>({
      type: 'config/area_registry/list',
    });
    assert.equal(areas.length, 6);
    assert.equal(Object.keys(entities ?? {}).length, states.length);
  });

  test('returns its configuration and services', async () => {
    const config = await getConfig(conn);
    assert.equal(config.version, home.haVersion);
    assert.equal(config.state, 'RUNNING');
    const services = await getServices(conn);
    for (const domain of ['light', 'switch', 'fan', 'cover', 'climate', 'lock', 'media_player']) {
      assert.ok(services[domain], `services for ${domain}`);
    }
    assert.ok(services.homeassistant?.toggle);
  });

  test('turns a light on with a brightness and the subscription sees it', async () => {
    await callService(
      conn,
      'light',
      'turn_on',
      { brightness: 77 },
      { entity_id: 'light.bedroom_ceiling' },
    );
    const light = entities?.['light.bedroom_ceiling'];
    assert.equal(light?.state, 'on');
    assert.equal(light?.attributes.brightness, 77);
    await callService(conn, 'light', 'toggle', undefined, { entity_id: 'light.bedroom_ceiling' });
    assert.equal(entities?.['light.bedroom_ceiling']?.state, 'off');
    assert.equal(entities?.['light.bedroom_ceiling']?.attributes.brightness, null);
  });

  test('switches, input booleans and locks change state', async () => {
    await callService(conn, 'switch', 'turn_on', undefined, { entity_id: 'switch.irrigation' });
    await callService(conn, 'input_boolean', 'toggle', { entity_id: 'input_boolean.guest_mode' });
    await callService(conn, 'lock', 'unlock', undefined, { entity_id: 'lock.front_door' });
    assert.equal(entities?.['switch.irrigation']?.state, 'on');
    assert.equal(entities?.['input_boolean.guest_mode']?.state, 'on');
    assert.equal(entities?.['lock.front_door']?.state, 'unlocked');
    assert.equal(home.state('lock.front_door')?.state, 'unlocked');
  });

  test('covers open, close and move to a position', async () => {
    const target = { entity_id: 'cover.bedroom_curtains' };
    await callService(conn, 'cover', 'set_cover_position', { position: 40 }, target);
    assert.equal(entities?.['cover.bedroom_curtains']?.state, 'open');
    assert.equal(entities?.['cover.bedroom_curtains']?.attributes.current_position, 40);
    await callService(conn, 'cover', 'close_cover', undefined, target);
    assert.equal(entities?.['cover.bedroom_curtains']?.attributes.current_position, 0);
    assert.equal(entities?.['cover.bedroom_curtains']?.state, 'closed');
  });

  test('climate takes a set-point and an HVAC mode', async () => {
    const target = { entity_id: 'climate.living_room' };
    await callService(conn, 'climate', 'set_temperature', { temperature: 23.5 }, target);
    await callService(conn, 'climate', 'set_hvac_mode', { hvac_mode: 'cool' }, target);
    assert.equal(entities?.['climate.living_room']?.attributes.temperature, 23.5);
    assert.equal(entities?.['climate.living_room']?.state, 'cool');
  });

  test('fans and media players respond to their services', async () => {
    await callService(
      conn,
      'fan',
      'set_percentage',
      { percentage: 66 },
      { entity_id: 'fan.bedroom_fan' },
    );
    assert.equal(entities?.['fan.bedroom_fan']?.state, 'on');
    assert.equal(entities?.['fan.bedroom_fan']?.attributes.percentage, 66);
    const tv = { entity_id: 'media_player.living_room_tv' };
    await callService(conn, 'media_player', 'media_pause', undefined, tv);
    await callService(conn, 'media_player', 'volume_set', { volume_level: 0.25 }, tv);
    assert.equal(entities?.['media_player.living_room_tv']?.state, 'paused');
    assert.equal(entities?.['media_player.living_room_tv']?.attributes.volume_level, 0.25);
  });

  test('homeassistant.turn_off reaches every entity of an area through its devices', async () => {
    await callService(conn, 'homeassistant', 'turn_off', undefined, { area_id: 'kitchen' });
    assert.equal(entities?.['light.kitchen_under_cabinet']?.state, 'off');
    assert.equal(entities?.['switch.coffee_machine']?.state, 'off');
    assert.equal(entities?.['lock.back_door']?.state, 'locked');
  });

  // HA: homeassistant/components/light/__init__.py VALID_BRIGHTNESS_PCT (brightness is clamped)
  test('rejects an unknown service and invalid data without changing anything', async () => {
    await assert.rejects(
      callService(conn, 'light', 'explode', undefined, { entity_id: 'light.porch' }),
      (err: { code: string }) => err.code === 'not_found',
    );
    const before = entities?.['light.porch'];
    await assert.rejects(
      callService(conn, 'light', 'turn_on', { brightness_pct: 150 }, { entity_id: 'light.porch' }),
      (err: { code: string }) => err.code === 'invalid_format',
    );
    assert.equal(entities?.['light.porch'], before);
  });

  test('answers ping and rejects unknown commands', async () => {
    await conn.ping();
    await assert.rejects(
      conn.sendMessagePromise({ type: 'no_such_command' }),
      (err: { code: string }) => err.code === 'unknown_command',
    );
  });

  test('delivers state_changed events and stops after unsubscribing', async () => {
    const seen: string[] = [];
    const unsub = await conn.subscribeEvents<{ data: { entity_id: string } }>(
      (ev) => seen.push(ev.data.entity_id),
      'state_changed',
    );
    home.setState('sensor.office_co2', '999');
    await waitFor(() => seen.includes('sensor.office_co2'), 'a state_changed event');
    await unsub();
    home.setState('sensor.office_co2', '1000');
    await conn.ping();
    assert.deepEqual(seen, ['sensor.office_co2']);
  });

  test('an explicit "*" subscription receives every event type', async () => {
    const types: string[] = [];
    const unsub = await conn.subscribeEvents<{ event_type: string }>(
      (ev) => types.push(ev.event_type),
      '*',
    );
    home.setState('sensor.office_co2', '777');
    home.moveDeviceToArea('dev_office_plug', 'kitchen');
    await waitFor(() => types.length >= 2, 'two events');
    assert.deepEqual(types, ['state_changed', 'device_registry_updated']);
    await unsub();
  });

  test('sends added and removed entities to subscribers', async () => {
    home.setState('sensor.new_one', '1', { friendly_name: 'New one' });
    await waitFor(() => entities?.['sensor.new_one'], 'the added entity');
    home.removeEntity('sensor.new_one');
    await waitFor(() => entities && !entities['sensor.new_one'], 'the removed entity');
  });

  test('announces an entity moved to another area', async () => {
    const events: unknown[] = [];
    const unsub = await conn.subscribeEvents((ev) => events.push(ev), 'entity_registry_updated');
    home.moveEntityToArea('light.porch', 'living_room');
    await waitFor(() => events.length > 0, 'entity_registry_updated');
    const list = await conn.sendMessagePromise<{ entity_id: string; area_id: string | null }[]>({
      type: 'config/entity_registry/list',
    });
    assert.equal(list.find((e) => e.entity_id === 'light.porch')?.area_id, 'living_room');
    const display = await conn.sendMessagePromise<{ entities: { ei: string; ai?: string }[] }>({
      type: 'config/entity_registry/list_for_display',
    });
    assert.equal(display.entities.find((e) => e.ei === 'light.porch')?.ai, 'living_room');
    await unsub();
  });
});

describe('demo home authentication', () => {
  test('accepts only the configured token', async () => {
    const home = await startDemoHome({ token: 'right' });
    try {
      await assert.rejects(connectClient(home, 'wrong'), (err) => err === ERR_INVALID_AUTH);
      const conn = await connectClient(home, 'right');
      conn.close();
    } finally {
      await home.stop();
    }
  });

  test('keeps its state across a restart and serves reconnecting clients again', async () => {
    const home = await startDemoHome();
    try {
      const port = home.port;
      await home.restart((h) => h.setState('light.porch', 'off'));
      assert.equal(home.port, port);
      const conn = await connectClient(home);
      const states = await getStates(conn);
      assert.equal(states.find((s) => s.entity_id === 'light.porch')?.state, 'off');
      conn.close();
    } finally {
      await home.stop();
    }
  });
});
