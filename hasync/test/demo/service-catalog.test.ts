import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DemoHome } from '../../src/demo/demo-home.ts';
import { serviceCatalog } from '../../src/demo/service-catalog.ts';
import { SERVICES } from '../../src/demo/service-schemas.ts';
import { targetAdmits } from '../../src/scope/service-rules.ts';

const catalog = serviceCatalog();

/**
 * Keys Home Assistant's schemas accept but its services.yaml does not describe (2024.3.3), so a
 * device relying on them is refused by HAsync as Home Assistant would describe nothing for them.
 */
const UNDESCRIBED_IN_HA: Record<string, string[]> = {
  // HA: homeassistant/components/light/__init__.py LIGHT_TURN_ON_SCHEMA (toggle takes it whole)
  'light.turn_on': ['color_temp_kelvin'],
  'light.toggle': [
    'brightness_step',
    'brightness_step_pct',
    'color_temp_kelvin',
    'rgbw_color',
    'rgbww_color',
  ],
  // HA: homeassistant/components/media_player/__init__.py MEDIA_PLAYER_PLAY_MEDIA_SCHEMA
  'media_player.play_media': ['extra'],
  // HA: homeassistant/components/script/__init__.py SCRIPT_TURN_ONOFF_SCHEMA
  'script.turn_on': ['variables'],
  'script.turn_off': ['variables'],
  'script.toggle': ['variables'],
};

// HA: homeassistant/helpers/service.py async_get_all_descriptions (fields from services.yaml)
test('every demo service describes every field its schema accepts, and accepts every described one', () => {
  for (const [domain, services] of Object.entries(SERVICES)) {
    for (const [service, spec] of Object.entries(services)) {
      const name = `${domain}.${service}`;
      const described = Object.keys(catalog[domain]?.[service]?.fields ?? {}).sort();
      const accepted = Object.keys(spec.fields).sort();
      if (!spec.allowExtra) {
        for (const key of described) assert.ok(accepted.includes(key), `${name} accepts ${key}`);
      }
      const hidden = UNDESCRIBED_IN_HA[name] ?? [];
      for (const key of accepted) {
        assert.ok(described.includes(key) || hidden.includes(key), `${name} describes ${key}`);
      }
    }
  }
});

// HA: homeassistant/helpers/service.py async_get_all_descriptions (`target` only for entity services)
test('entity services have a target; notify, scene.apply, group.set and scripts have none', () => {
  for (const [domain, services] of Object.entries(SERVICES)) {
    for (const [service, spec] of Object.entries(services)) {
      const target = catalog[domain]?.[service]?.target;
      assert.equal(target === undefined, spec.untargeted === true, `${domain}.${service}`);
    }
  }
  assert.deepEqual(catalog.script?.unlock_everything, {
    name: 'Unlock everything',
    description: 'Unlocks every lock in the house.',
    fields: {},
    response: { optional: true },
  });
  assert.deepEqual(Object.keys(catalog.script?.good_morning?.fields ?? {}), [
    'brightness_pct',
    'speaker',
  ]);
  assert.deepEqual(catalog.script?.good_morning?.fields.speaker?.selector, {
    entity: { domain: 'media_player' },
  });
});

// HA: homeassistant/components/media_player/services.yaml (join: group_members entity selector, multiple)
test('selectors are Home Assistant’s: join names media players, tts.speak one, scene.apply takes an object', () => {
  assert.deepEqual(catalog.media_player?.join?.fields.group_members?.selector, {
    entity: { multiple: true, domain: 'media_player' },
  });
  assert.deepEqual(catalog.media_player?.join?.target, {
    entity: [{ domain: ['media_player'], supported_features: [524288] }],
  });
  assert.deepEqual(catalog.tts?.speak?.fields.media_player_entity_id?.selector, {
    entity: { domain: 'media_player' },
  });
  assert.deepEqual(catalog.scene?.apply?.fields.entities?.selector, { object: null });
  assert.deepEqual(catalog.camera?.snapshot?.fields.filename?.selector, { text: null });
  assert.deepEqual(Object.keys(catalog.notify?.mobile_app_phone?.fields ?? {}), [
    'message',
    'title',
    'target',
    'data',
  ]);
  assert.ok(catalog.light?.turn_on?.fields.transition, 'transition is described');
});

// HA: homeassistant/components/cover/services.yaml etc. (target filters by supported_features)
test('target filters admit the demo entities that support the service and no others', () => {
  const home = new DemoHome({ rate: 0 });
  const admits = (domain: string, service: string, entityId: string) => {
    const description = catalog[domain]?.[service];
    assert.ok(description, `${domain}.${service}`);
    return targetAdmits(description, entityId, home.state(entityId), undefined);
  };
  assert.ok(admits('media_player', 'join', 'media_player.living_room_speaker'));
  assert.ok(!admits('media_player', 'join', 'media_player.living_room_tv'), 'the TV cannot group');
  assert.ok(!admits('lock', 'open', 'lock.front_door'), 'no OPEN feature');
  assert.ok(admits('cover', 'set_cover_position', 'cover.living_room_blinds'));
  assert.ok(admits('climate', 'turn_off', 'climate.bedroom'));
  assert.ok(admits('weather', 'get_forecasts', 'weather.home'));
  assert.ok(admits('camera', 'snapshot', 'camera.office'));
});
