import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { authorizeCall, type CallRequest } from '../../src/scope/authorize-call.ts';
import { resolveScope } from '../../src/scope/resolve-scope.ts';
import { staticHome } from '../helpers/static-home.ts';

const home = staticHome({
  areas: ['kitchen', 'hall', 'bedroom'],
  devices: {
    hall_lock_device: { area: 'hall' },
    kitchen_strip: { area: 'kitchen' },
    bedroom_lamp_device: { area: 'bedroom' },
  },
  entities: {
    'light.kitchen': { area: 'kitchen' },
    'switch.kettle': { area: 'kitchen' },
    'light.kitchen_strip': { device: 'kitchen_strip' },
    'sensor.kitchen_strip_power': { device: 'kitchen_strip' },
    'lock.front_door': { device: 'hall_lock_device' },
    'light.hall': { area: 'hall' },
    'light.bedroom': { device: 'bedroom_lamp_device', area: 'kitchen' },
    'sensor.outside': { registered: false },
  },
});

function call(partial: Partial<CallRequest> & { domain: string; service: string }): CallRequest {
  return { serviceData: {}, target: undefined, ...partial };
}

describe('resolveScope', () => {
  test('includes entities of an assigned area, directly or through their device', () => {
    const scope = resolveScope({ areas: ['kitchen'], entities: [], excluded: [] }, home);
    assert.deepEqual([...scope].sort(), [
      'light.bedroom',
      'light.kitchen',
      'light.kitchen_strip',
      'sensor.kitchen_strip_power',
      'switch.kettle',
    ]);
  });

  test("an entity's own area wins over its device's area", () => {
    const scope = resolveScope({ areas: ['bedroom'], entities: [], excluded: [] }, home);
    assert.ok(!scope.has('light.bedroom'));
  });

  test('adds single entities, including ones without a registry entry, and removes exclusions', () => {
    const scope = resolveScope(
      {
        areas: ['kitchen'],
        entities: ['sensor.outside', 'light.hall'],
        excluded: ['switch.kettle'],
      },
      home,
    );
    assert.ok(scope.has('sensor.outside'));
    assert.ok(scope.has('light.hall'));
    assert.ok(!scope.has('switch.kettle'));
  });

  test('ignores single entities that do not exist', () => {
    const scope = resolveScope({ areas: [], entities: ['light.ghost'], excluded: [] }, home);
    assert.equal(scope.size, 0);
  });
});

describe('authorizeCall', () => {
  const scope = resolveScope(
    { areas: ['kitchen'], entities: [], excluded: ['switch.kettle'] },
    home,
  );
  const context = { scope, readOnly: false, home };

  test('allows an in-scope entity and strips every targeting key from the service data', () => {
    const verdict = authorizeCall(
      call({
        domain: 'light',
        service: 'turn_on',
        serviceData: { entity_id: 'light.kitchen', brightness: 120 },
      }),
      context,
    );
    assert.deepEqual(verdict, {
      allowed: true,
      entityIds: ['light.kitchen'],
      serviceData: { brightness: 120 },
    });
  });

  test('refuses an entity outside the scope, by target or by service data', () => {
    for (const request of [
      call({ domain: 'lock', service: 'unlock', target: { entity_id: 'lock.front_door' } }),
      call({ domain: 'lock', service: 'unlock', serviceData: { entity_id: ['lock.front_door'] } }),
      call({
        domain: 'light',
        service: 'turn_on',
        target: { entity_id: ['light.kitchen', 'light.hall'] },
      }),
      call({ domain: 'switch', service: 'turn_on', target: { entity_id: 'switch.kettle' } }),
      call({
        domain: 'light',
        service: 'turn_on',
        target: { entity_id: 'light.kitchen,light.hall' },
      }),
    ]) {
      const verdict = authorizeCall(request, context);
      assert.equal(verdict.allowed, false, JSON.stringify(request));
    }
  });

  test('refuses a device target that reaches an entity outside the scope', () => {
    const verdict = authorizeCall(
      call({ domain: 'lock', service: 'unlock', target: { device_id: 'hall_lock_device' } }),
      context,
    );
    assert.equal(verdict.allowed, false);
  });

  test('expands an in-scope device target to its entities of the service domain', () => {
    const verdict = authorizeCall(
      call({ domain: 'light', service: 'turn_off', target: { device_id: 'kitchen_strip' } }),
      context,
    );
    assert.deepEqual(verdict, {
      allowed: true,
      entityIds: ['light.kitchen_strip'],
      serviceData: {},
    });
  });

  test('refuses an area target when the area holds an excluded entity of that domain', () => {
    const verdict = authorizeCall(
      call({ domain: 'switch', service: 'turn_off', target: { area_id: 'kitchen' } }),
      context,
    );
    assert.equal(verdict.allowed, false);
  });

  test('refuses an area outside the scope', () => {
    const verdict = authorizeCall(
      call({ domain: 'light', service: 'turn_on', target: { area_id: 'hall' } }),
      context,
    );
    assert.equal(verdict.allowed, false);
  });

  test('allows an assigned area when every entity it reaches is in scope', () => {
    const verdict = authorizeCall(
      call({ domain: 'light', service: 'turn_on', target: { area_id: 'kitchen' } }),
      context,
    );
    assert.equal(verdict.allowed, true);
    assert.deepEqual(verdict.allowed && verdict.entityIds, [
      'light.bedroom',
      'light.kitchen',
      'light.kitchen_strip',
    ]);
  });

  test('refuses calls without any target, like homeassistant.restart', () => {
    for (const request of [
      call({ domain: 'homeassistant', service: 'restart' }),
      call({ domain: 'light', service: 'turn_on' }),
      call({
        domain: 'scene',
        service: 'apply',
        serviceData: { entities: { 'lock.front_door': 'unlocked' } },
      }),
    ]) {
      assert.equal(authorizeCall(request, context).allowed, false, JSON.stringify(request));
    }
  });

  test('refuses a service whose domain does not match the entity', () => {
    const verdict = authorizeCall(
      call({ domain: 'lock', service: 'unlock', target: { entity_id: 'light.kitchen' } }),
      context,
    );
    assert.equal(verdict.allowed, false);
  });

  test('allows the generic homeassistant on/off/toggle but no other homeassistant service', () => {
    const target = { entity_id: 'light.kitchen' };
    assert.equal(
      authorizeCall(call({ domain: 'homeassistant', service: 'toggle', target }), context).allowed,
      true,
    );
    assert.equal(
      authorizeCall(call({ domain: 'homeassistant', service: 'update_entity', target }), context)
        .allowed,
      false,
    );
  });

  test('refuses "all", malformed targets, and every call of a read-only device', () => {
    assert.equal(
      authorizeCall(
        call({ domain: 'light', service: 'turn_off', target: { entity_id: 'all' } }),
        context,
      ).allowed,
      false,
    );
    assert.equal(
      authorizeCall(
        call({ domain: 'light', service: 'turn_off', serviceData: { entity_id: 42 } }),
        context,
      ).allowed,
      false,
    );
    assert.equal(
      authorizeCall(
        call({ domain: 'light', service: 'turn_on', target: { entity_id: 'light.kitchen' } }),
        {
          ...context,
          readOnly: true,
        },
      ).allowed,
      false,
    );
  });
});
