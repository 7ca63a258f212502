import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { authorizeCall, type CallRequest } from '../../src/scope/authorize-call.ts';
import { collectTargetIds, expandIndirect } from '../../src/scope/call-targets.ts';
import { staticHome } from '../helpers/static-home.ts';

// HA: homeassistant/helpers/service.py async_extract_referenced_entity_ids (2024.4+ floors/labels)
const home = staticHome({
  areas: ['kitchen', 'hall', 'bedroom'],
  floors: { ground: ['kitchen', 'hall'], first: ['bedroom'] },
  areaLabels: { bedroom: ['kids'] },
  devices: {
    fridge: { area: 'kitchen' },
    lamp: { area: 'hall', labels: ['night'] },
  },
  entities: {
    'light.kitchen': { area: 'kitchen' },
    'light.kitchen_hidden': { area: 'kitchen', hidden: true },
    'switch.kitchen_setup': { area: 'kitchen', category: 'config' },
    'sensor.fridge': { device: 'fridge' },
    'sensor.fridge_rssi': { device: 'fridge', category: 'diagnostic' },
    'light.fridge_led': { device: 'fridge', area: 'hall' },
    'light.lamp': { device: 'lamp' },
    'light.bedroom': { area: 'bedroom' },
    'lock.front_door': { area: 'hall', labels: ['security'] },
  },
});

function ids(partial: Partial<Record<string, string[]>>) {
  return {
    entity_id: [],
    device_id: [],
    area_id: [],
    floor_id: [],
    label_id: [],
    ...partial,
  };
}

describe('expandIndirect', () => {
  test('an area reaches its own entities and area-less entities of its devices, not hidden or categorised ones', () => {
    assert.deepEqual(expandIndirect(home, ids({ area_id: ['kitchen'] })).sort(), [
      'light.kitchen',
      'sensor.fridge',
    ]);
  });

  test('a device reaches all its entities, whatever their own area', () => {
    assert.deepEqual(expandIndirect(home, ids({ device_id: ['fridge'] })).sort(), [
      'light.fridge_led',
      'sensor.fridge',
    ]);
  });

  test('a floor reaches the entities of its areas', () => {
    assert.deepEqual(expandIndirect(home, ids({ floor_id: ['first'] })), ['light.bedroom']);
    assert.deepEqual(expandIndirect(home, ids({ floor_id: ['ground'] })).sort(), [
      'light.fridge_led',
      'light.kitchen',
      'light.lamp',
      'lock.front_door',
      'sensor.fridge',
    ]);
  });

  test('a label reaches labelled entities, devices and areas', () => {
    assert.deepEqual(expandIndirect(home, ids({ label_id: ['security'] })), ['lock.front_door']);
    assert.deepEqual(expandIndirect(home, ids({ label_id: ['night'] })), ['light.lamp']);
    assert.deepEqual(expandIndirect(home, ids({ label_id: ['kids'] })), ['light.bedroom']);
  });
});

describe('collectTargetIds', () => {
  test('reads target and service_data together and splits comma-separated entity ids', () => {
    const got = collectTargetIds(
      { entity_id: 'light.a, light.b', floor_id: 'ground' },
      { label_id: ['kids'], entity_id: ['light.c'] },
    );
    assert.deepEqual(got?.entity_id, ['light.a', 'light.b', 'light.c']);
    assert.deepEqual(got?.floor_id, ['ground']);
    assert.deepEqual(got?.label_id, ['kids']);
  });

  test('refuses ids that are not strings', () => {
    assert.equal(collectTargetIds({ area_id: [3] }, {}), undefined);
    assert.equal(collectTargetIds(undefined, { floor_id: { x: 1 } }), undefined);
  });
});

describe('authorizeCall with floors and labels', () => {
  const kitchenScope = new Set(['light.kitchen', 'sensor.fridge', 'light.fridge_led']);
  const request = (partial: Partial<CallRequest>): CallRequest => ({
    domain: 'light',
    service: 'turn_on',
    serviceData: {},
    target: undefined,
    ...partial,
  });
  const context = { scope: kitchenScope, readOnly: false, home };

  test('a floor target reaching a light outside the scope is refused, in target or service_data', () => {
    for (const req of [
      request({ target: { floor_id: 'ground' } }),
      request({ serviceData: { floor_id: 'ground' } }),
    ]) {
      const verdict = authorizeCall(req, context);
      assert.equal(verdict.allowed, false);
      assert.match(verdict.allowed ? '' : verdict.reason, /outside this device's scope/);
    }
  });

  test('a label target reaching an out-of-scope lock is refused', () => {
    const verdict = authorizeCall(
      request({ domain: 'lock', service: 'unlock', target: { label_id: 'security' } }),
      context,
    );
    assert.equal(verdict.allowed, false);
  });

  test('an area target is rebuilt as the entity ids Home Assistant would act on, hidden ones left out', () => {
    const verdict = authorizeCall(request({ target: { area_id: 'kitchen' } }), {
      ...context,
      scope: new Set([...kitchenScope, 'light.kitchen_hidden']),
    });
    assert.deepEqual(verdict.allowed && verdict.entityIds, ['light.kitchen']);
  });

  test('a target key HAsync does not resolve is refused, never forwarded', () => {
    const verdict = authorizeCall(
      request({ target: { entity_id: 'light.kitchen', category_id: 'x' } }),
      context,
    );
    assert.equal(verdict.allowed, false);
    assert.match(verdict.allowed ? '' : verdict.reason, /category_id is not supported/);
  });

  test('"all" and "none" are refused under any target key', () => {
    for (const key of ['entity_id', 'device_id', 'area_id', 'floor_id', 'label_id']) {
      for (const value of ['all', 'none']) {
        const verdict = authorizeCall(request({ target: { [key]: value } }), context);
        assert.equal(verdict.allowed, false, `${key}=${value}`);
      }
    }
  });

  test('the forwarded service data carries no targeting key', () => {
    const verdict = authorizeCall(
      request({ serviceData: { entity_id: 'light.kitchen', floor_id: [], brightness: 9 } }),
      context,
    );
    assert.deepEqual(verdict.allowed && verdict.serviceData, { brightness: 9 });
  });
});
