/** Attribute templates per kind of entity, close to what Home Assistant's integrations report. */

export type EntityKind =
  | 'light'
  | 'switch'
  | 'temperature'
  | 'humidity'
  | 'power'
  | 'co2'
  | 'climate'
  | 'cover'
  | 'fan'
  | 'lock'
  | 'tv'
  | 'speaker'
  | 'motion'
  | 'window'
  | 'input_boolean'
  | 'person'
  | 'sun'
  | 'weather'
  | 'script'
  | 'scene'
  | 'light_group'
  | 'group'
  | 'camera'
  | 'tts'
  | 'device_tracker'
  | 'zone';

/** [entity_id, name, kind, initial state, device id, area override, attributes beyond the kind's] */
export type Row = [
  string,
  string,
  EntityKind,
  string,
  string | null,
  string | null,
  Record<string, unknown>?,
];

/** How a sensor drifts: bounds and the largest step per change. */
export interface NoiseSpec {
  min: number;
  max: number;
  step: number;
}

const SENSORS: Record<string, { unit: string; deviceClass: string; noise: NoiseSpec }> = {
  temperature: { unit: '°C', deviceClass: 'temperature', noise: { min: 15, max: 28, step: 0.2 } },
  humidity: { unit: '%', deviceClass: 'humidity', noise: { min: 30, max: 80, step: 0.5 } },
  power: { unit: 'W', deviceClass: 'power', noise: { min: 0, max: 2500, step: 15 } },
  co2: { unit: 'ppm', deviceClass: 'carbon_dioxide', noise: { min: 400, max: 1400, step: 10 } },
};

export function noiseOf(kind: EntityKind): NoiseSpec | undefined {
  return SENSORS[kind]?.noise;
}

const MEDIA_FEATURES = 1 | 4 | 8 | 128 | 256 | 1024 | 4096 | 16384;
/** media_player/const.py MediaPlayerEntityFeature: PLAY_MEDIA and GROUPING (speakers join). */
const SPEAKER_FEATURES = MEDIA_FEATURES | 512 | 524288;

type Template = (state: string) => Record<string, unknown>;

const media =
  (kind: string, features: number): Template =>
  () => ({
    volume_level: 0.4,
    is_volume_muted: false,
    device_class: kind,
    supported_features: features,
  });

/** Attributes besides `friendly_name`, per kind of entity, given its initial state. */
const TEMPLATES: Partial<Record<EntityKind, Template>> = {
  climate: () => ({
    hvac_modes: ['off', 'heat', 'cool', 'auto'],
    min_temp: 7,
    max_temp: 35,
    target_temp_step: 0.5,
    current_temperature: 20.5,
    temperature: 21,
    supported_features: 1 | 128 | 256,
  }),
  cover: (state) => ({
    current_position: state === 'open' ? 100 : 0,
    device_class: 'blind',
    supported_features: 15,
  }),
  fan: (state) => ({
    percentage: state === 'on' ? 33 : 0,
    percentage_step: 1,
    supported_features: 1 | 16 | 32,
  }),
  tv: media('tv', MEDIA_FEATURES),
  speaker: media('speaker', SPEAKER_FEATURES),
  motion: () => ({ device_class: 'motion' }),
  window: () => ({ device_class: 'window' }),
  input_boolean: () => ({ editable: true }),
  lock: () => ({ supported_features: 0 }),
  sun: () => ({ elevation: 23.4, azimuth: 187.2, rising: false }),
  // script/__init__.py ScriptEntity.extra_state_attributes
  script: () => ({ last_triggered: null, mode: 'single', current: 0 }),
  // camera/__init__.py Camera.supported_features: ON_OFF
  camera: () => ({ supported_features: 1 }),
  weather: () => ({
    temperature: 14.2,
    humidity: 71,
    temperature_unit: '°C',
    wind_speed_unit: 'km/h',
    supported_features: 3,
  }),
};

/** Attributes for an entity of `kind` in the given state; `friendly_name` always set. */
export function attributesFor(
  kind: EntityKind,
  name: string,
  state: string,
): Record<string, unknown> {
  const sensor = SENSORS[kind];
  if (sensor) {
    return {
      state_class: 'measurement',
      unit_of_measurement: sensor.unit,
      device_class: sensor.deviceClass,
      friendly_name: name,
    };
  }
  if (kind === 'light') return lightAttributes(name, state === 'on' ? 180 : null);
  if (kind === 'light_group')
    return { ...lightAttributes(name, null), icon: 'mdi:lightbulb-group' };
  return { ...TEMPLATES[kind]?.(state), friendly_name: name };
}

export function lightAttributes(name: string, brightness: number | null): Record<string, unknown> {
  return {
    supported_color_modes: ['brightness'],
    color_mode: brightness === null ? null : 'brightness',
    brightness,
    supported_features: 0,
    friendly_name: name,
  };
}
