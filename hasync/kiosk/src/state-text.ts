import type { HassEntity } from 'home-assistant-js-websocket';

const WORDS: Record<string, string> = {
  on: 'On',
  off: 'Off',
  open: 'Open',
  closed: 'Closed',
  opening: 'Opening',
  closing: 'Closing',
  locked: 'Locked',
  unlocked: 'Unlocked',
  locking: 'Locking',
  unlocking: 'Unlocking',
  jammed: 'Jammed',
  playing: 'Playing',
  paused: 'Paused',
  idle: 'Idle',
  heat: 'Heating',
  cool: 'Cooling',
  auto: 'Auto',
  unavailable: 'Unavailable',
  unknown: 'Unknown',
  above_horizon: 'Above horizon',
  below_horizon: 'Below horizon',
};

/** device_class → [word for on, word for off] */
const BINARY: Record<string, [string, string]> = {
  motion: ['Detected', 'Clear'],
  occupancy: ['Detected', 'Clear'],
  presence: ['Home', 'Away'],
  door: ['Open', 'Closed'],
  window: ['Open', 'Closed'],
  opening: ['Open', 'Closed'],
  garage_door: ['Open', 'Closed'],
  moisture: ['Wet', 'Dry'],
  smoke: ['Smoke!', 'Clear'],
  battery: ['Low', 'Normal'],
};

export const domainOf = (entityId: string): string => entityId.slice(0, entityId.indexOf('.'));

export const friendlyName = (entity: HassEntity): string =>
  (entity.attributes.friendly_name as string | undefined) ?? entity.entity_id;

function word(state: string): string {
  return WORDS[state] ?? state.charAt(0).toUpperCase() + state.slice(1).replaceAll('_', ' ');
}

const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** A percentage of the light's brightness (0–255), or undefined when it has none. */
export function brightnessPct(entity: HassEntity): number | undefined {
  const raw = num(entity.attributes.brightness);
  return raw === undefined ? undefined : Math.max(1, Math.round((raw / 255) * 100));
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/**
 * A timestamp state (a scene's or button's last use, a timestamp sensor) as a time of day, with
 * the date when it is not today.
 */
function timeText(state: string): string | undefined {
  if (!ISO_TIME.test(state)) return undefined;
  const at = new Date(state);
  if (Number.isNaN(at.getTime())) return undefined;
  const time = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (at.toDateString() === new Date().toDateString()) return time;
  return `${at.toLocaleDateString([], { day: 'numeric', month: 'short' })} ${time}`;
}

/** The state as a person reads it: words, numbers with their units, times of day. */
export function stateText(entity: HassEntity): string {
  const { state, attributes } = entity;
  if (state === 'unavailable' || state === 'unknown') return word(state);
  const time = timeText(state);
  if (time !== undefined) return time;
  const domain = domainOf(entity.entity_id);
  const unit = attributes.unit_of_measurement as string | undefined;
  if (domain === 'sensor' || unit) return unit ? `${state} ${unit}` : word(state);
  if (domain === 'binary_sensor') {
    const pair = BINARY[(attributes.device_class as string | undefined) ?? ''] ?? ['On', 'Off'];
    return state === 'on' ? pair[0] : pair[1];
  }
  if (domain === 'light' && state === 'on') {
    const pct = brightnessPct(entity);
    return pct === undefined ? 'On' : `On · ${pct} %`;
  }
  if (domain === 'cover') {
    const position = num(attributes.current_position);
    return position === undefined || state === 'closed'
      ? word(state)
      : `${word(state)} · ${position} %`;
  }
  if (domain === 'climate') {
    const now = num(attributes.current_temperature);
    return now === undefined ? word(state) : `${word(state)} · now ${now} °`;
  }
  if (domain === 'fan' && state === 'on') {
    const pct = num(attributes.percentage);
    return pct === undefined ? 'On' : `On · ${pct} %`;
  }
  if (domain === 'weather') {
    const t = num(attributes.temperature);
    const unitT = (attributes.temperature_unit as string | undefined) ?? '';
    return t === undefined ? word(state) : `${word(state)} · ${t} ${unitT}`.trim();
  }
  return word(state);
}
