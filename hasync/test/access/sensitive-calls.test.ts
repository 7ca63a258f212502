import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type PerformedCall, sensitiveCallWords } from '../../src/access/sensitive-calls.ts';
import type { HomeView } from '../../src/cache/home-view.ts';
import type { HassState } from '../../src/protocol/home-assistant.ts';

const state = (entity_id: string, friendly_name: string, device_class?: string) =>
  ({
    entity_id,
    state: 'closed',
    attributes: { friendly_name, ...(device_class ? { device_class } : {}) },
  }) as unknown as HassState;

const STATES = new Map(
  [
    state('lock.front_door', 'Front Door'),
    state('lock.back_door', 'Back Door'),
    state('alarm_control_panel.house', 'House Alarm'),
    state('cover.garage', 'Garage Door', 'garage'),
    state('cover.gate', 'Drive Gate', 'gate'),
    state('cover.skylight', 'Skylight', 'window'),
    state('cover.blinds', 'Living Room Blinds', 'blind'),
    state('cover.unclassed', 'Some Cover'),
    state('light.hall', 'Hall Light'),
  ].map((s) => [s.entity_id, s]),
);
// Only state() is read by the words; the rest of the home is not needed here.
const home = { state: (id: string) => STATES.get(id) } as unknown as HomeView;

const words = (domain: string, service: string, entityIds: string[], serviceData = {}) =>
  sensitiveCallWords(home, { domain, service, entityIds, serviceData } satisfies PerformedCall);

test('locks, alarm panels and access covers are described with Home Assistant’s names', () => {
  assert.equal(words('lock', 'unlock', ['lock.front_door']), 'unlocked Front Door');
  assert.equal(
    words('lock', 'lock', ['lock.front_door', 'lock.back_door']),
    'locked Front Door and Back Door',
  );
  assert.equal(words('lock', 'open', ['lock.back_door']), 'opened Back Door');
  assert.equal(
    words('alarm_control_panel', 'alarm_disarm', ['alarm_control_panel.house']),
    'disarmed House Alarm',
  );
  assert.equal(
    words('alarm_control_panel', 'alarm_arm_away', ['alarm_control_panel.house']),
    'armed House Alarm (away)',
  );
  assert.equal(
    words('alarm_control_panel', 'alarm_trigger', ['alarm_control_panel.house']),
    'triggered House Alarm',
  );
  assert.equal(words('cover', 'open_cover', ['cover.garage']), 'opened Garage Door');
  assert.equal(words('cover', 'close_cover', ['cover.gate']), 'closed Drive Gate');
  assert.equal(words('cover', 'toggle', ['cover.skylight']), 'toggled Skylight');
  assert.equal(
    words('cover', 'set_cover_position', ['cover.garage'], { position: 40 }),
    'moved Garage Door to 40%',
  );
  // HA: components/homeassistant/__init__.py — turn_on/turn_off of a cover open and close it.
  assert.equal(
    words('homeassistant', 'toggle', ['light.hall', 'cover.garage', 'cover.blinds']),
    'toggled Garage Door',
  );
  assert.equal(words('homeassistant', 'turn_on', ['cover.gate']), 'opened Drive Gate');
  assert.equal(words('homeassistant', 'turn_off', ['cover.garage']), 'closed Garage Door');
  // A lock or an alarm panel has no turn_on/turn_off: nothing happened to record.
  assert.equal(words('homeassistant', 'turn_off', ['lock.front_door']), undefined);
});

test('comfort covers, other domains and services that change nothing sensitive are not recorded', () => {
  assert.equal(words('cover', 'open_cover', ['cover.blinds']), undefined);
  assert.equal(words('cover', 'open_cover', ['cover.unclassed']), undefined);
  assert.equal(words('cover', 'stop_cover', ['cover.garage']), undefined);
  assert.equal(words('light', 'turn_on', ['light.hall']), undefined);
  assert.equal(words('homeassistant', 'turn_on', ['light.hall']), undefined);
  assert.equal(words('lock', 'unlock', []), undefined);
  // An entity the cache no longer has keeps its id as its name.
  assert.equal(words('lock', 'unlock', ['lock.gone']), 'unlocked lock.gone');
});
