import type { HomeModel } from './home-model.ts';
import type { DemoEntityEntry } from './registry.ts';
import { makeEntityEntry, makeFloor, makeLabel } from './registry-entries.ts';

/**
 * What Home Assistant 2024.4+ added to the hand-made home: floors, labels, categories, and the
 * registry flags that change how indirect targets expand (helpers/service.py skips hidden and
 * config/diagnostic entities when a device, area, floor or label is targeted).
 */

/** [floor_id, name, level, icon, areas on it]; the garden stays without a floor. */
const FLOORS: [string, string, number, string, string[]][] = [
  ['ground_floor', 'Ground floor', 0, 'mdi:home-floor-0', ['living_room', 'kitchen']],
  ['first_floor', 'First floor', 1, 'mdi:home-floor-1', ['bedroom', 'bathroom', 'office']],
];

const LABELS = [
  {
    labelId: 'kids',
    name: 'Kids',
    color: 'green',
    icon: 'mdi:teddy-bear',
    description: 'What the children may use',
  },
  { labelId: 'security', name: 'Security', color: 'red', icon: 'mdi:shield-home' },
];

/** [kind of entry, id, labels] */
const LABELLED: ['entity' | 'device' | 'area', string, string[]][] = [
  ['entity', 'media_player.bedroom_speaker', ['kids']],
  ['entity', 'light.bedside_left', ['kids']],
  ['entity', 'lock.back_door', ['security']],
  ['entity', 'binary_sensor.garden_gate', ['security']],
  ['device', 'dev_living_tv', ['kids']],
  ['device', 'dev_front_door', ['security']],
  ['area', 'garden', ['security']],
];

interface Extra {
  entityId: string;
  deviceId: string;
  originalName: string;
  /** undefined: disabled, no state. */
  state?: string;
  attributes: Record<string, unknown>;
  more: Partial<DemoEntityEntry>;
}

/** Entities with registry flags; each sits in an area through its device. */
export const EXTRA_ENTITIES: Extra[] = [
  {
    entityId: 'sensor.living_room_thermostat_battery',
    deviceId: 'dev_living_climate',
    originalName: 'Battery',
    state: '87',
    attributes: {
      state_class: 'measurement',
      unit_of_measurement: '%',
      device_class: 'battery',
      friendly_name: 'Living Room Thermostat Battery',
    },
    more: {
      entity_category: 'diagnostic',
      has_entity_name: true,
      options: { sensor: { suggested_display_precision: 0 } },
    },
  },
  {
    entityId: 'switch.living_room_thermostat_child_lock',
    deviceId: 'dev_living_climate',
    originalName: 'Child lock',
    state: 'off',
    attributes: { friendly_name: 'Living Room Thermostat Child lock' },
    more: { entity_category: 'config', has_entity_name: true, translation_key: 'child_lock' },
  },
  {
    entityId: 'switch.kitchen_lights_relay',
    deviceId: 'dev_kitchen_lights',
    originalName: 'Kitchen Lights Relay',
    state: 'on',
    attributes: { friendly_name: 'Kitchen relay' },
    more: { hidden_by: 'user', name: 'Kitchen relay' },
  },
];

/** Registered but disabled by its integration: no state, left out of `list_for_display`. */
const DISABLED_ENTITY: Extra = {
  entityId: 'sensor.kitchen_sensor_signal_strength',
  deviceId: 'dev_kitchen_sensor',
  originalName: 'Signal strength',
  attributes: {},
  more: { entity_category: 'diagnostic', has_entity_name: true, disabled_by: 'integration' },
};

export function seedFloorsAndLabels(model: HomeModel, now: number): void {
  const reg = model.registry;
  for (const [floorId, name, level, icon, areas] of FLOORS) {
    reg.floors.set(floorId, makeFloor(floorId, name, level, icon, now));
    for (const areaId of areas) {
      const area = reg.areas.get(areaId);
      if (area) reg.areas.set(areaId, { ...area, floor_id: floorId });
    }
  }
  for (const spec of LABELS) reg.labels.set(spec.labelId, makeLabel(spec, now));
  for (const [kind, id, labels] of LABELLED) applyLabels(model, kind, id, labels);
  for (const extra of [...EXTRA_ENTITIES, DISABLED_ENTITY]) {
    const { entityId, deviceId, originalName, more } = extra;
    reg.entities.set(
      entityId,
      makeEntityEntry({ entityId, name: originalName, deviceId, areaId: null, more }, now),
    );
    if (extra.state !== undefined) model.set(entityId, extra.state, extra.attributes);
  }
  const guest = reg.entities.get('input_boolean.guest_mode');
  if (guest) reg.entities.set(guest.entity_id, { ...guest, categories: { helpers: 'modes' } });
}

function applyLabels(model: HomeModel, kind: string, id: string, labels: string[]): void {
  const reg = model.registry;
  if (kind === 'entity') {
    const entry = reg.entities.get(id);
    if (entry) reg.entities.set(id, { ...entry, labels });
  } else if (kind === 'device') {
    const device = reg.devices.get(id);
    if (device) reg.devices.set(id, { ...device, labels });
  } else {
    const area = reg.areas.get(id);
    if (area) reg.areas.set(id, { ...area, labels });
  }
}
