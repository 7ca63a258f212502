import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DemoHome } from '../../src/demo/demo-home.ts';
import { referencedEntities, targetSelector } from '../../src/demo/targets.ts';

const home = new DemoHome({ rate: 0 });
const reg = home.model.registry;
const resolve = (data: Record<string, unknown>) => {
  const refs = referencedEntities(reg, targetSelector(data));
  return new Set([...refs.referenced, ...refs.indirectlyReferenced]);
};

// HA: homeassistant/helpers/service.py async_extract_referenced_entity_ids (area: entities and devices; hidden and categorised skipped)
test('an area reaches its entities and devices but not hidden or config/diagnostic entities', () => {
  const kitchen = resolve({ area_id: ['kitchen'] });
  assert.ok(kitchen.has('light.kitchen_ceiling'));
  assert.ok(kitchen.has('lock.back_door'));
  assert.ok(!kitchen.has('switch.kitchen_lights_relay'), 'hidden');
  const living = resolve({ area_id: ['living_room'] });
  assert.ok(living.has('climate.living_room'));
  assert.ok(!living.has('sensor.living_room_thermostat_battery'), 'diagnostic');
  assert.ok(!living.has('switch.living_room_thermostat_child_lock'), 'config');
});

// HA: homeassistant/helpers/service.py async_extract_referenced_entity_ids (named entities are always referenced)
test('an entity named directly is reached even when hidden', () => {
  assert.ok(
    resolve({ entity_id: ['switch.kitchen_lights_relay'] }).has('switch.kitchen_lights_relay'),
  );
});

// HA: homeassistant/helpers/service.py async_extract_referenced_entity_ids (floors give their areas)
test('a floor reaches the entities of its areas', () => {
  const ground = resolve({ floor_id: ['ground_floor'] });
  assert.ok(ground.has('light.kitchen_ceiling') && ground.has('light.living_room_ceiling'));
  assert.ok(!ground.has('light.bedroom_ceiling'));
});

// HA: homeassistant/helpers/service.py async_extract_referenced_entity_ids (labels on entities, devices and areas)
test('a label reaches labelled entities, devices and areas', () => {
  const security = resolve({ label_id: ['security'] });
  for (const id of [
    'lock.back_door',
    'lock.front_door',
    'binary_sensor.garden_gate',
    'light.porch',
  ]) {
    assert.ok(security.has(id), id);
  }
  const kids = resolve({ label_id: ['kids'] });
  assert.ok(kids.has('media_player.living_room_tv'), 'through the TV device');
  assert.ok(kids.has('media_player.bedroom_speaker'));
});

// HA: homeassistant/helpers/service.py (an entity with its own area is not reached through its device's area)
test('an entity moved out of its device area is reached only through its own area', () => {
  const local = new DemoHome({ rate: 0 });
  local.registry.updateEntity('light.tv_backlight', { area_id: 'office' });
  const refs = referencedEntities(
    local.model.registry,
    targetSelector({ area_id: ['living_room'] }),
  );
  assert.ok(!refs.indirectlyReferenced.has('light.tv_backlight'));
  const byDevice = referencedEntities(
    local.model.registry,
    targetSelector({ device_id: ['dev_living_tv'] }),
  );
  assert.ok(byDevice.indirectlyReferenced.has('light.tv_backlight'));
});

// HA: homeassistant/helpers/config_validation.py comp_entity_ids (comma-separated, all)
test('entity_id may be comma-separated or all', async () => {
  await home.start();
  try {
    const { rawClient } = await import('./raw-client.ts');
    const c = await rawClient(home);
    await c.ask({
      id: 1,
      type: 'call_service',
      domain: 'switch',
      service: 'turn_on',
      target: { entity_id: 'switch.irrigation, SWITCH.dishwasher' },
    });
    assert.equal(home.state('switch.irrigation')?.state, 'on');
    assert.equal(home.state('switch.dishwasher')?.state, 'on');
    await c.ask({
      id: 2,
      type: 'call_service',
      domain: 'switch',
      service: 'turn_off',
      target: { entity_id: 'all' },
    });
    assert.equal(home.state('switch.christmas_tree')?.state, 'off');
    assert.equal(home.state('switch.dishwasher')?.state, 'off');
    c.ws.close();
  } finally {
    await home.stop();
  }
});
