import type { HomeModel } from './home-model.ts';
import { makeArea, makeDevice, makeEntityEntry } from './registry-entries.ts';
import {
  attributesFor,
  type EntityKind,
  type NoiseSpec,
  noiseOf,
  type Row,
} from './seed-attributes.ts';
import { HOME_EXTRAS, issueImageTokens, UNREGISTERED } from './seed-home-extras.ts';
import { EXTRA_ENTITIES, seedFloorsAndLabels } from './seed-registry.ts';

/** [area_id, name, icon] */
const AREAS: [string, string, string][] = [
  ['living_room', 'Living Room', 'mdi:sofa'],
  ['kitchen', 'Kitchen', 'mdi:stove'],
  ['bedroom', 'Bedroom', 'mdi:bed'],
  ['bathroom', 'Bathroom', 'mdi:shower'],
  ['office', 'Office', 'mdi:desk'],
  ['garden', 'Garden', 'mdi:flower'],
];

/** [device id, name, area, manufacturer, model] */
const DEVICES: [string, string, string, string, string][] = [
  ['dev_living_lights', 'Living Room Lights', 'living_room', 'Signify', 'Hue White'],
  ['dev_living_tv', 'Living Room TV', 'living_room', 'LG', 'OLED55'],
  ['dev_living_climate', 'Living Room Thermostat', 'living_room', 'Tado', 'Smart Thermostat'],
  ['dev_living_blinds', 'Living Room Blinds', 'living_room', 'IKEA', 'FYRTUR'],
  ['dev_kitchen_lights', 'Kitchen Lights', 'kitchen', 'Signify', 'Hue White'],
  ['dev_coffee_plug', 'Coffee Machine Plug', 'kitchen', 'Shelly', 'Plug S'],
  ['dev_kitchen_sensor', 'Kitchen Sensor', 'kitchen', 'Aqara', 'TH Sensor'],
  ['dev_bedroom_lights', 'Bedroom Lights', 'bedroom', 'Signify', 'Hue White'],
  ['dev_bedroom_climate', 'Bedroom Thermostat', 'bedroom', 'Tado', 'Smart Radiator'],
  ['dev_bathroom_sensor', 'Bathroom Sensor', 'bathroom', 'Aqara', 'TH Sensor'],
  ['dev_office_plug', 'Desk Plug', 'office', 'Shelly', 'Plug S'],
  ['dev_office_sensor', 'Office Air Monitor', 'office', 'Airthings', 'Wave Plus'],
  ['dev_garden_weather', 'Garden Weather Station', 'garden', 'Netatmo', 'Outdoor Module'],
  ['dev_front_door', 'Front Door Lock', 'garden', 'Nuki', 'Smart Lock 4'],
];

const SPEAKER_GROUP = ['media_player.living_room_speaker', 'media_player.bedroom_speaker'];

const ENTITIES: Row[] = [
  ['light.living_room_ceiling', 'Living Room Ceiling', 'light', 'on', 'dev_living_lights', null],
  ['light.living_room_floor_lamp', 'Floor Lamp', 'light', 'off', 'dev_living_lights', null],
  ['light.tv_backlight', 'TV Backlight', 'light', 'on', 'dev_living_tv', null],
  ['media_player.living_room_tv', 'Living Room TV', 'tv', 'playing', 'dev_living_tv', null],
  // media_player/__init__.py `group_members`: the living room speaker leads a group with the
  // bedroom speaker (a player that supports MediaPlayerEntityFeature.GROUPING lists its group).
  [
    'media_player.living_room_speaker',
    'Living Room Speaker',
    'speaker',
    'paused',
    null,
    'living_room',
    { group_members: SPEAKER_GROUP },
  ],
  ['climate.living_room', 'Living Room', 'climate', 'heat', 'dev_living_climate', null],
  [
    'sensor.living_room_temperature',
    'Living Room Temperature',
    'temperature',
    '21.3',
    'dev_living_climate',
    null,
  ],
  [
    'sensor.living_room_humidity',
    'Living Room Humidity',
    'humidity',
    '45.0',
    'dev_living_climate',
    null,
  ],
  ['cover.living_room_blinds', 'Living Room Blinds', 'cover', 'open', 'dev_living_blinds', null],
  ['fan.living_room_fan', 'Ceiling Fan', 'fan', 'off', null, 'living_room'],
  ['binary_sensor.living_room_motion', 'Living Room Motion', 'motion', 'off', null, 'living_room'],
  ['switch.christmas_tree', 'Christmas Tree', 'switch', 'off', null, 'living_room'],
  ['light.kitchen_ceiling', 'Kitchen Ceiling', 'light', 'off', 'dev_kitchen_lights', null],
  ['light.kitchen_under_cabinet', 'Under Cabinet', 'light', 'on', 'dev_kitchen_lights', null],
  ['switch.coffee_machine', 'Coffee Machine', 'switch', 'on', 'dev_coffee_plug', null],
  ['sensor.coffee_machine_power', 'Coffee Machine Power', 'power', '3.2', 'dev_coffee_plug', null],
  [
    'sensor.kitchen_temperature',
    'Kitchen Temperature',
    'temperature',
    '22.1',
    'dev_kitchen_sensor',
    null,
  ],
  ['sensor.kitchen_humidity', 'Kitchen Humidity', 'humidity', '52.0', 'dev_kitchen_sensor', null],
  ['binary_sensor.kitchen_window', 'Kitchen Window', 'window', 'off', null, 'kitchen'],
  ['lock.back_door', 'Back Door', 'lock', 'locked', null, 'kitchen'],
  ['switch.dishwasher', 'Dishwasher', 'switch', 'off', null, 'kitchen'],
  ['light.bedroom_ceiling', 'Bedroom Ceiling', 'light', 'off', 'dev_bedroom_lights', null],
  ['light.bedside_left', 'Bedside Left', 'light', 'off', 'dev_bedroom_lights', null],
  ['light.bedside_right', 'Bedside Right', 'light', 'on', 'dev_bedroom_lights', null],
  ['cover.bedroom_curtains', 'Bedroom Curtains', 'cover', 'closed', null, 'bedroom'],
  ['climate.bedroom', 'Bedroom', 'climate', 'heat', 'dev_bedroom_climate', null],
  [
    'sensor.bedroom_temperature',
    'Bedroom Temperature',
    'temperature',
    '19.4',
    'dev_bedroom_climate',
    null,
  ],
  ['sensor.bedroom_humidity', 'Bedroom Humidity', 'humidity', '48.5', null, 'bedroom'],
  ['fan.bedroom_fan', 'Bedroom Fan', 'fan', 'off', null, 'bedroom'],
  [
    'media_player.bedroom_speaker',
    'Bedroom Speaker',
    'speaker',
    'idle',
    null,
    'bedroom',
    { group_members: SPEAKER_GROUP },
  ],
  ['input_boolean.sleep_mode', 'Sleep Mode', 'input_boolean', 'off', null, 'bedroom'],
  ['light.bathroom_mirror', 'Bathroom Mirror', 'light', 'off', null, 'bathroom'],
  ['light.bathroom_ceiling', 'Bathroom Ceiling', 'light', 'off', null, 'bathroom'],
  ['fan.bathroom_extractor', 'Extractor Fan', 'fan', 'off', null, 'bathroom'],
  [
    'sensor.bathroom_humidity',
    'Bathroom Humidity',
    'humidity',
    '61.0',
    'dev_bathroom_sensor',
    null,
  ],
  [
    'sensor.bathroom_temperature',
    'Bathroom Temperature',
    'temperature',
    '22.8',
    'dev_bathroom_sensor',
    null,
  ],
  [
    'binary_sensor.bathroom_motion',
    'Bathroom Motion',
    'motion',
    'off',
    'dev_bathroom_sensor',
    null,
  ],
  ['switch.towel_warmer', 'Towel Warmer', 'switch', 'off', null, 'bathroom'],
  ['light.desk_lamp', 'Desk Lamp', 'light', 'on', 'dev_office_plug', null],
  ['light.office_ceiling', 'Office Ceiling', 'light', 'off', null, 'office'],
  ['switch.monitor_power', 'Monitor Power', 'switch', 'on', 'dev_office_plug', null],
  ['sensor.desk_power', 'Desk Power', 'power', '84.0', 'dev_office_plug', null],
  [
    'sensor.office_temperature',
    'Office Temperature',
    'temperature',
    '21.9',
    'dev_office_sensor',
    null,
  ],
  ['sensor.office_co2', 'Office CO2', 'co2', '612', 'dev_office_sensor', null],
  [
    'media_player.office_speaker',
    'Office Speaker',
    'speaker',
    'off',
    null,
    'office',
    { group_members: ['media_player.office_speaker'] },
  ],
  ['cover.office_blind', 'Office Blind', 'cover', 'open', null, 'office'],
  ['binary_sensor.office_window', 'Office Window', 'window', 'on', null, 'office'],
  ['light.garden_path', 'Garden Path', 'light', 'off', null, 'garden'],
  ['light.porch', 'Porch', 'light', 'on', null, 'garden'],
  ['switch.irrigation', 'Irrigation', 'switch', 'off', null, 'garden'],
  [
    'sensor.outdoor_temperature',
    'Outdoor Temperature',
    'temperature',
    '14.2',
    'dev_garden_weather',
    null,
  ],
  ['sensor.outdoor_humidity', 'Outdoor Humidity', 'humidity', '71.0', 'dev_garden_weather', null],
  ['lock.front_door', 'Front Door', 'lock', 'locked', 'dev_front_door', null],
  ['cover.garage_door', 'Garage Door', 'cover', 'closed', null, 'garden'],
  ['binary_sensor.garden_gate', 'Garden Gate', 'window', 'off', null, 'garden'],
  ['input_boolean.guest_mode', 'Guest Mode', 'input_boolean', 'off', null, null],
  ['input_boolean.vacation_mode', 'Vacation Mode', 'input_boolean', 'off', null, null],
  ['sensor.grid_power', 'Grid Power', 'power', '412.0', null, null],
  // person/__init__.py Person.extra_state_attributes; the location comes from the source tracker.
  [
    'person.alex',
    'Alex',
    'person',
    'home',
    null,
    null,
    {
      editable: true,
      id: 'alex',
      user_id: null,
      device_trackers: ['device_tracker.alex_phone', 'device_tracker.alex_laptop'],
      latitude: 52.3731,
      longitude: 4.8922,
      gps_accuracy: 12,
      source: 'device_tracker.alex_phone',
    },
  ],
  [
    'person.sam',
    'Sam',
    'person',
    'not_home',
    null,
    null,
    { editable: true, id: 'sam', user_id: null, device_trackers: [] },
  ],
  ['sun.sun', 'Sun', 'sun', 'above_horizon', null, null],
  ['weather.home', 'Home', 'weather', 'partlycloudy', null, null],
  ...HOME_EXTRAS,
];

/** Number of entities in the hand-made home; larger homes add generated ones. */
export const SEED_ENTITY_COUNT = ENTITIES.length + EXTRA_ENTITIES.length;

const FILLER_KINDS: EntityKind[] = ['temperature', 'light', 'humidity', 'switch', 'power'];
const FILLER_PER_DEVICE = 5;

function fillerRow(i: number): Row {
  const kind = FILLER_KINDS[i % FILLER_KINDS.length] ?? 'temperature';
  const domain = kind === 'light' || kind === 'switch' ? kind : 'sensor';
  const device = `dev_filler_${Math.floor(i / FILLER_PER_DEVICE)}`;
  const noise = noiseOf(kind);
  const state = noise ? ((noise.min + noise.max) / 2).toFixed(1) : 'off';
  return [`${domain}.demo_${kind}_${i}`, `Demo ${kind} ${i}`, kind, state, device, null];
}

/** Fills an empty model with the demo home; returns the sensors that drift, with their bounds. */
export function seedHome(model: HomeModel, entityCount: number): Map<string, NoiseSpec> {
  const now = Date.now() / 1000;
  const reg = model.registry;
  for (const [id, name, icon] of AREAS) reg.areas.set(id, makeArea(id, name, icon, now));
  for (const [id, name, areaId, manufacturer, model_] of DEVICES) {
    reg.devices.set(id, makeDevice({ id, name, areaId, manufacturer, model: model_ }, now));
  }
  // `entityCount` counts states; the registry-flag entities are part of it when seeded.
  const withExtras = entityCount >= SEED_ENTITY_COUNT;
  const plain = withExtras ? entityCount - EXTRA_ENTITIES.length : entityCount;
  const rows = ENTITIES.slice(0, plain);
  for (let i = 0; rows.length < plain; i++) rows.push(fillerRow(i));
  const noisy = new Map<string, NoiseSpec>();
  for (const [entityId, name, kind, state, deviceId, areaId, more] of rows) {
    if (deviceId && !reg.devices.has(deviceId)) addFillerDevice(model, deviceId, now);
    if (!UNREGISTERED.has(entityId)) {
      reg.entities.set(entityId, makeEntityEntry({ entityId, name, deviceId, areaId }, now));
    }
    model.set(entityId, state, { ...attributesFor(kind, name, state), ...more });
    const noise = noiseOf(kind);
    if (noise) noisy.set(entityId, noise);
  }
  // The hand-made home (default size and up) also has floors, labels and the registry flags of
  // Home Assistant 2024.4+; smaller homes stay plain.
  if (withExtras) seedFloorsAndLabels(model, now);
  issueImageTokens(model);
  return noisy;
}

function addFillerDevice(model: HomeModel, deviceId: string, now: number): void {
  const n = Number(deviceId.slice('dev_filler_'.length));
  const area = AREAS[n % AREAS.length]?.[0] ?? null;
  model.registry.devices.set(
    deviceId,
    makeDevice(
      {
        id: deviceId,
        name: `Demo Device ${n}`,
        areaId: area,
        manufacturer: 'HAsync',
        model: 'Demo',
      },
      now,
    ),
  );
}
