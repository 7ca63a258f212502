import { TARGET_FIELDS } from '../protocol/ha-command-schemas.ts';
import { entityIds } from '../protocol/voluptuous/cv.ts';
import {
  anyDict,
  bool,
  cvBoolean,
  dict,
  type Fields,
  Invalid,
  number,
  oneOf,
  opt,
  req,
  str,
  strEnum,
  type Validator,
} from '../protocol/voluptuous/vol.ts';
import { HOME_SERVICES } from './home-service-schemas.ts';

/**
 * The demo home's service schemas, copied from the integrations' own (light, fan, cover, climate,
 * media_player, lock, weather `__init__.py`) and wrapped as helpers/config_validation.py
 * `make_entity_service_schema` wraps them: target fields added, extra keys refused, at least one
 * target key required.
 */

/** core.py `SupportsResponse`. */
export type SupportsResponse = 'none' | 'optional' | 'only';

export interface ServiceSpec {
  readonly fields: Fields;
  readonly supportsResponse: SupportsResponse;
  /** Generic services hand their data on to the entities' own services. */
  readonly allowExtra?: boolean;
  readonly atLeastOne?: readonly string[];
  /**
   * Not an entity service: registered with a plain schema (`hass.services.async_register`), so
   * no target keys are added or required (notify, scene.apply, group.set, `script.<name>`).
   */
  readonly untargeted?: true;
}

const anything: Validator = (v) => v;
const HVAC_MODES = ['off', 'heat', 'cool', 'heat_cool', 'auto', 'dry', 'fan_only'];
const TRANSITION = opt(number('float', 0, 6553, true));
const FLASH = opt(oneOf(['short', 'long']));
/** light/__init__.py `LIGHT_TURN_ON_SCHEMA` (2024.3: `color_temp` and `kelvin` still accepted). */
const LIGHT_ON: Fields = {
  brightness: opt(number('int', 0, 255, true)),
  brightness_pct: opt(number('float', 0, 100)),
  brightness_step: opt(number('int', -255, 255, true)),
  brightness_step_pct: opt(number('float', -100, 100, true)),
  transition: TRANSITION,
  color_name: opt(str),
  color_temp: opt(number('int', 1, Number.POSITIVE_INFINITY)),
  color_temp_kelvin: opt(number('int', 0, 100000)),
  kelvin: opt(number('int', 0, Number.POSITIVE_INFINITY)),
  rgb_color: opt(anything),
  rgbw_color: opt(anything),
  rgbww_color: opt(anything),
  hs_color: opt(anything),
  xy_color: opt(anything),
  white: opt(anything),
  effect: opt(str),
  flash: FLASH,
  profile: opt(str),
};
const PERCENTAGE = number('int', 0, 100);
const FLOAT = number('float', -Infinity, Infinity);

export const plain = (fields: Fields = {}): ServiceSpec => ({ fields, supportsResponse: 'none' });
const onOff = { turn_on: plain(), turn_off: plain(), toggle: plain() };

/** domain → service → schema. Also the list of services the demo home offers. */
export const SERVICES: Record<string, Record<string, ServiceSpec>> = {
  homeassistant: {
    turn_on: { fields: {}, supportsResponse: 'none', allowExtra: true },
    turn_off: { fields: {}, supportsResponse: 'none', allowExtra: true },
    toggle: { fields: {}, supportsResponse: 'none', allowExtra: true },
  },
  light: {
    turn_on: plain(LIGHT_ON),
    turn_off: plain({ transition: TRANSITION, flash: FLASH }),
    toggle: plain(LIGHT_ON),
  },
  switch: onOff,
  input_boolean: onOff,
  fan: {
    turn_on: plain({ percentage: opt(PERCENTAGE), preset_mode: opt(str) }),
    turn_off: plain(),
    toggle: plain(),
    set_percentage: plain({ percentage: req(PERCENTAGE) }),
  },
  cover: {
    open_cover: plain(),
    close_cover: plain(),
    stop_cover: plain(),
    toggle: plain(),
    set_cover_position: plain({ position: req(PERCENTAGE) }),
  },
  climate: {
    set_temperature: {
      fields: {
        temperature: opt(FLOAT),
        target_temp_high: opt(FLOAT),
        target_temp_low: opt(FLOAT),
        hvac_mode: opt(strEnum('HVACMode', HVAC_MODES)),
      },
      supportsResponse: 'none',
      atLeastOne: ['temperature', 'target_temp_high', 'target_temp_low'],
    },
    set_hvac_mode: plain({ hvac_mode: req(strEnum('HVACMode', HVAC_MODES)) }),
    turn_on: plain(),
    turn_off: plain(),
  },
  lock: {
    lock: plain({ code: opt(str) }),
    unlock: plain({ code: opt(str) }),
    open: plain({ code: opt(str) }),
  },
  media_player: {
    turn_on: plain(),
    turn_off: plain(),
    toggle: plain(),
    media_play: plain(),
    media_pause: plain(),
    media_play_pause: plain(),
    media_stop: plain(),
    volume_set: plain({ volume_level: req(number('float', 0, 1)) }),
    volume_up: plain(),
    volume_down: plain(),
    volume_mute: plain({ is_volume_muted: req(cvBoolean) }),
    // media_player/__init__.py: join, unjoin and MEDIA_PLAYER_PLAY_MEDIA_SCHEMA.
    join: plain({ group_members: req(entityIds) }),
    unjoin: plain(),
    play_media: plain({
      media_content_id: req(str),
      media_content_type: req(str),
      enqueue: opt(oneOf(['play', 'next', 'add', 'replace'])),
      announce: opt(bool),
      extra: opt(anyDict),
    }),
  },
  weather: {
    get_forecasts: {
      fields: { type: req(oneOf(['daily', 'hourly', 'twice_daily'])) },
      supportsResponse: 'only',
    },
  },
  ...HOME_SERVICES,
};

export function serviceSpec(domain: string, service: string): ServiceSpec | undefined {
  return SERVICES[domain]?.[service];
}

/** Validates a call's data (service data merged with its target) against the service schema. */
export function validateServiceData(
  spec: ServiceSpec,
  data: Record<string, unknown>,
): Record<string, unknown> {
  if (spec.untargeted)
    return dict(spec.fields, spec.allowExtra)(data, []) as Record<string, unknown>;
  if (spec.atLeastOne) requireOneOf(data, spec.atLeastOne);
  const { metadata: _frontendOnly, ...rest } = data;
  const out = dict({ ...spec.fields, ...TARGET_FIELDS }, spec.allowExtra)(rest, []) as Record<
    string,
    unknown
  >;
  requireOneOf(out, Object.keys(TARGET_FIELDS));
  return out;
}

/** helpers/config_validation.py `has_at_least_one_key`. */
function requireOneOf(data: Record<string, unknown>, keys: readonly string[]): void {
  if (keys.some((k) => k in data)) return;
  throw new Invalid(`must contain at least one of ${keys.join(', ')}.`);
}
