import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { authorizeCall, type CallRequest } from '../../src/scope/authorize-call.ts';
import { staticHome } from '../helpers/static-home.ts';

// The access rule of design §5a: allow what Home Assistant describes, refuse the rest.
const home = staticHome({
  areas: ['kitchen', 'hall'],
  devices: { hall_lock: { area: 'hall' } },
  entities: {
    'light.kitchen': { area: 'kitchen' },
    'light.kitchen_group': { area: 'kitchen' },
    'scene.dinner': { area: 'kitchen' },
    'script.morning': { area: 'kitchen' },
    'media_player.kitchen': { area: 'kitchen' },
    'media_player.hall': { area: 'hall' },
    'tts.cloud': { area: 'kitchen' },
    'lock.front_door': { device: 'hall_lock' },
    'light.hall': { area: 'hall' },
  },
  attributes: {
    'light.kitchen_group': { entity_id: ['light.kitchen', 'light.hall'] },
    'scene.dinner': { entity_id: ['light.kitchen', 'lock.front_door'] },
    'media_player.kitchen': { supported_features: 524288 },
  },
});
const scope = new Set([
  'light.kitchen',
  'light.kitchen_group',
  'scene.dinner',
  'script.morning',
  'media_player.kitchen',
  'tts.cloud',
]);
const context = { scope, readOnly: false, home };

function verdict(partial: Partial<CallRequest> & { domain: string; service: string }) {
  return authorizeCall({ serviceData: {}, target: undefined, ...partial }, context);
}

function refused(partial: Partial<CallRequest> & { domain: string; service: string }): string {
  const result = verdict(partial);
  assert.equal(result.allowed, false, JSON.stringify(partial));
  return result.allowed ? '' : result.reason;
}

describe('only entity services, as Home Assistant describes them', () => {
  test('services without a target are refused, even aimed at an entity in scope', () => {
    for (const [domain, service] of [
      ['script', 'morning'],
      ['notify', 'notify'],
      ['homeassistant', 'restart'],
    ] as const) {
      const reason = refused({ domain, service, target: { entity_id: 'light.kitchen' } });
      assert.match(reason, /not an entity service/);
    }
  });

  test('an entity service of another domain is refused (recorder.purge_entities on a light)', () => {
    const reason = refused({
      domain: 'recorder',
      service: 'purge_entities',
      target: { entity_id: 'light.kitchen' },
    });
    assert.match(reason, /cannot act on light\.kitchen/);
  });

  test('homeassistant.update_entity is not one of the generic services', () => {
    refused({
      domain: 'homeassistant',
      service: 'update_entity',
      target: { entity_id: 'light.kitchen' },
    });
  });

  test('an undescribed service is refused', () => {
    assert.match(refused({ domain: 'light', service: 'fly' }), /not described/);
  });

  test('scripts and scenes in scope run through their entity service', () => {
    for (const [domain, entity] of [
      ['script', 'script.morning'],
      ['scene', 'scene.dinner'],
    ] as const) {
      const result = verdict({ domain, service: 'turn_on', target: { entity_id: entity } });
      assert.equal(result.allowed, true, entity);
    }
  });
});

describe('service data: described fields only, scoped, no templates', () => {
  test('a key the service does not describe is refused, in Home Assistant’s words', () => {
    const result = verdict({
      domain: 'light',
      service: 'turn_on',
      target: { entity_id: 'light.kitchen' },
      serviceData: { brightness: 3, evil: 1 },
    });
    assert.deepEqual(result, {
      allowed: false,
      reason: "extra keys not allowed @ data['evil']",
      invalidFormat: true,
    });
  });

  test('described plain fields pass through unchanged', () => {
    const result = verdict({
      domain: 'light',
      service: 'turn_on',
      target: { entity_id: 'light.kitchen' },
      serviceData: { brightness: 3, rgb_color: [1, 2, 3] },
    });
    assert.deepEqual(result.allowed && result.serviceData, { brightness: 3, rgb_color: [1, 2, 3] });
  });

  test('template syntax anywhere is refused, in fields and targets', () => {
    for (const effect of ['{{ states("lock.front_door") }}', 'x {% if 1 %}', '{# note #}']) {
      const reason = refused({
        domain: 'light',
        service: 'turn_on',
        target: { entity_id: 'light.kitchen' },
        serviceData: { effect },
      });
      assert.match(reason, /templates are not allowed/);
    }
    assert.match(
      refused({ domain: 'light', service: 'turn_on', target: { entity_id: '{{ "light.hall" }}' } }),
      /templates are not allowed/,
    );
  });

  test('"all" and "none" in a field are refused', () => {
    const reason = refused({
      domain: 'light',
      service: 'turn_on',
      target: { entity_id: 'light.kitchen' },
      serviceData: { effect: 'all' },
    });
    assert.match(reason, /"all" is not allowed/);
  });

  test('a field naming an entity outside the scope is refused without naming it', () => {
    const reason = refused({
      domain: 'media_player',
      service: 'join',
      target: { entity_id: 'media_player.kitchen' },
      serviceData: { group_members: ['media_player.hall'] },
    });
    assert.doesNotMatch(reason, /media_player\.hall/);
    const tts = refused({
      domain: 'tts',
      service: 'speak',
      target: { entity_id: 'tts.cloud' },
      serviceData: { media_player_entity_id: 'media_player.hall', message: 'hi' },
    });
    assert.match(tts, /outside this device's scope/);
  });

  test('a field naming entities inside the scope is allowed', () => {
    const result = verdict({
      domain: 'tts',
      service: 'speak',
      target: { entity_id: 'tts.cloud' },
      serviceData: { media_player_entity_id: 'media_player.kitchen', message: 'hi' },
    });
    assert.equal(result.allowed, true);
  });
});

describe('what the refusal says, and group-like entities', () => {
  test('a device target reaching an out-of-scope lock is refused without naming it', () => {
    const reason = refused({
      domain: 'lock',
      service: 'unlock',
      target: { device_id: 'hall_lock' },
    });
    assert.doesNotMatch(reason, /front_door/);
  });

  test('a group in scope whose members reach outside the scope is refused', () => {
    const reason = refused({
      domain: 'light',
      service: 'turn_on',
      target: { entity_id: 'light.kitchen_group' },
    });
    assert.doesNotMatch(reason, /light\.hall/);
    assert.match(reason, /outside this device's scope/);
  });
});
