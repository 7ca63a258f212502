import { HasyncError } from '../shared/errors.ts';
import type { DemoState } from './compressed-state.ts';
import { haError } from './ha-error.ts';

/** The outcome of a service on one entity: its new state string and attributes. */
export interface Effect {
  state: string;
  attributes: Record<string, unknown>;
}

type Data = Record<string, unknown>;
type EffectFn = (current: DemoState, data: Data) => Effect;

function invalid(message: string): never {
  throw new HasyncError('invalid_format', message);
}

/** A number from service data within bounds, or undefined when absent; bad values are rejected. */
function num(data: Data, key: string, min: number, max: number): number | undefined {
  const value = data[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max) {
    invalid(
      `value must be a number between ${min} and ${max} for dictionary value @ data['${key}']`,
    );
  }
  return value;
}

function withAttrs(current: DemoState, state: string, changes: Data): Effect {
  return { state, attributes: { ...current.attributes, ...changes } };
}

function lightOn(current: DemoState, data: Data): Effect {
  const pct = num(data, 'brightness_pct', 0, 100);
  const abs = num(data, 'brightness', 0, 255);
  const prev =
    typeof current.attributes.brightness === 'number' ? current.attributes.brightness : 255;
  const brightness = abs ?? (pct === undefined ? prev : Math.round((pct * 255) / 100));
  if (brightness === 0) return lightOff(current);
  return withAttrs(current, 'on', { brightness, color_mode: 'brightness' });
}

function lightOff(current: DemoState): Effect {
  return withAttrs(current, 'off', { brightness: null, color_mode: null });
}

function onOff(on: boolean) {
  return (current: DemoState): Effect => withAttrs(current, on ? 'on' : 'off', {});
}

function fanOn(current: DemoState, data: Data): Effect {
  const pct = num(data, 'percentage', 0, 100);
  const percentage = pct ?? (current.attributes.percentage || 33);
  return withAttrs(current, percentage === 0 ? 'off' : 'on', { percentage });
}

function coverTo(current: DemoState, position: number): Effect {
  return withAttrs(current, position > 0 ? 'open' : 'closed', { current_position: position });
}

function setTemperature(current: DemoState, data: Data): Effect {
  const temperature = num(data, 'temperature', 7, 35);
  const mode = data.hvac_mode === undefined ? current.state : hvacMode(current, data.hvac_mode);
  const changes = temperature === undefined ? {} : { temperature };
  return withAttrs(current, mode, changes);
}

/**
 * climate/__init__.py `async_handle_set_hvac_mode_service`: a mode the entity does not offer is
 * a ServiceValidationError (`not_valid_hvac_mode`).
 */
function hvacMode(current: DemoState, mode: unknown): string {
  const modes = current.attributes.hvac_modes;
  if (typeof mode === 'string' && Array.isArray(modes) && modes.includes(mode)) return mode;
  const list = Array.isArray(modes) ? modes.join(', ') : '';
  throw haError(
    'service_validation_error',
    `HVAC mode ${String(mode)} is not valid. Valid HVAC modes are: ${list}.`,
    {
      translation_domain: 'climate',
      translation_key: 'not_valid_hvac_mode',
      translation_placeholders: { mode: String(mode), modes: list },
    },
  );
}

function volume(current: DemoState, delta: number): Effect {
  const level =
    typeof current.attributes.volume_level === 'number' ? current.attributes.volume_level : 0;
  return withAttrs(current, current.state, {
    volume_level: Math.round(Math.min(1, Math.max(0, level + delta)) * 100) / 100,
  });
}

function toggleOf(on: EffectFn, off: EffectFn, isOn: (s: DemoState) => boolean): EffectFn {
  return (current, data) => (isOn(current) ? off(current, data) : on(current, data));
}

const isOnState = (s: DemoState) => s.state === 'on';
const switchLike = {
  turn_on: onOff(true),
  turn_off: onOff(false),
  toggle: toggleOf(onOff(true), onOff(false), isOnState),
};

const mediaPlay: EffectFn = (c) => withAttrs(c, 'playing', {});
const mediaPause: EffectFn = (c) => withAttrs(c, 'paused', {});

/** domain → service → effect on one entity. Also the list of services the demo home offers. */
export const EFFECTS: Record<string, Record<string, EffectFn>> = {
  light: {
    turn_on: lightOn,
    turn_off: lightOff,
    toggle: toggleOf(lightOn, lightOff, isOnState),
  },
  switch: switchLike,
  input_boolean: switchLike,
  fan: {
    turn_on: fanOn,
    turn_off: (c) => withAttrs(c, 'off', { percentage: 0 }),
    toggle: toggleOf(fanOn, (c) => withAttrs(c, 'off', { percentage: 0 }), isOnState),
    set_percentage: (c, d) =>
      fanOn(c, { percentage: num(d, 'percentage', 0, 100) ?? invalid('percentage is required') }),
  },
  cover: {
    open_cover: (c) => coverTo(c, 100),
    close_cover: (c) => coverTo(c, 0),
    stop_cover: (c) => withAttrs(c, c.state, {}),
    toggle: (c) => coverTo(c, c.state === 'closed' ? 100 : 0),
    set_cover_position: (c, d) =>
      coverTo(c, num(d, 'position', 0, 100) ?? invalid('position is required')),
  },
  climate: {
    set_temperature: setTemperature,
    set_hvac_mode: (c, d) => withAttrs(c, hvacMode(c, d.hvac_mode), {}),
    turn_on: (c) => withAttrs(c, c.state === 'off' ? 'heat' : c.state, {}),
    turn_off: (c) => withAttrs(c, 'off', {}),
  },
  lock: {
    lock: (c) => withAttrs(c, 'locked', {}),
    unlock: (c) => withAttrs(c, 'unlocked', {}),
    open: (c) => withAttrs(c, 'open', {}),
  },
  // camera/__init__.py: turn_off makes the camera `off` (its image proxy then answers 503).
  camera: {
    turn_on: (c) => withAttrs(c, 'idle', {}),
    turn_off: (c) => withAttrs(c, 'off', {}),
  },
  media_player: {
    turn_on: (c) => withAttrs(c, c.state === 'off' ? 'idle' : c.state, {}),
    turn_off: (c) => withAttrs(c, 'off', {}),
    toggle: (c) => withAttrs(c, c.state === 'off' ? 'idle' : 'off', {}),
    media_play: mediaPlay,
    media_pause: mediaPause,
    media_play_pause: (c, d) => (c.state === 'playing' ? mediaPause(c, d) : mediaPlay(c, d)),
    media_stop: (c) => withAttrs(c, 'idle', {}),
    volume_set: (c, d) =>
      withAttrs(c, c.state, {
        volume_level: num(d, 'volume_level', 0, 1) ?? invalid('volume_level is required'),
      }),
    volume_up: (c) => volume(c, 0.1),
    volume_down: (c) => volume(c, -0.1),
    volume_mute: (c, d) => withAttrs(c, c.state, { is_volume_muted: d.is_volume_muted === true }),
  },
};

/** `homeassistant.turn_on|turn_off|toggle` → the entity domain's own service (Home Assistant's mapping). */
export function genericService(domain: string, service: string): string | undefined {
  if (domain === 'cover') {
    return { turn_on: 'open_cover', turn_off: 'close_cover', toggle: 'toggle' }[service];
  }
  const services = EFFECTS[domain];
  return services && service in services ? service : undefined;
}
