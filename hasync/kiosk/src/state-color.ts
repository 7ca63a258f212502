import type { HassEntity } from 'home-assistant-js-websocket';
import { domainOf } from './state-text.ts';

/** HA: src/common/entity/state_color.ts STATE_COLORED_DOMAIN (the domains the kiosk shows). */
const COLORED = new Set([
  'alarm_control_panel',
  'binary_sensor',
  'climate',
  'cover',
  'device_tracker',
  'fan',
  'humidifier',
  'input_boolean',
  'light',
  'lock',
  'media_player',
  'person',
  'siren',
  'sun',
  'switch',
  'vacuum',
  'valve',
  'water_heater',
  'weather',
]);

/** What each domain counts as "off". HA: src/common/entity/state_active.ts stateActive */
const INACTIVE: Record<string, string[]> = {
  alarm_control_panel: ['disarmed'],
  cover: ['closed'],
  device_tracker: ['not_home'],
  person: ['not_home'],
  lock: ['locked'],
  media_player: ['standby'],
  vacuum: ['idle', 'docked', 'paused'],
  valve: ['closed'],
};

/** Whether HA would draw the entity as active (on, open, unlocked, heating, playing…). */
export function stateActive(entity: HassEntity): boolean {
  const { state } = entity;
  if (state === 'unavailable' || state === 'unknown' || state === 'off') return false;
  return !(INACTIVE[domainOf(entity.entity_id)] ?? []).includes(state);
}

const slug = (text: string) => text.toLowerCase().replaceAll(/[^a-z0-9]+/g, '_');

/**
 * The CSS colour for the entity's icon and accents, as HA picks it: the first defined of
 * `--state-<domain>-<device_class>-<state>-color`, `--state-<domain>-<state>-color`,
 * `--state-<domain>-<active|inactive>-color`, `--state-<active|inactive>-color` (the variables are
 * in styles.css, with HA's values); undefined for domains HA does not colour (sensors).
 * HA: src/common/entity/state_color.ts domainColorProperties
 */
export function stateColor(entity: HassEntity): string | undefined {
  if (entity.state === 'unavailable') return 'var(--state-unavailable-color)';
  const domain = domainOf(entity.entity_id);
  if (!COLORED.has(domain)) return undefined;
  const state = slug(entity.state);
  const activity = stateActive(entity) ? 'active' : 'inactive';
  const deviceClass = entity.attributes.device_class;
  const names = [
    ...(typeof deviceClass === 'string' ? [`--state-${domain}-${deviceClass}-${state}-color`] : []),
    `--state-${domain}-${state}-color`,
    `--state-${domain}-${activity}-color`,
    `--state-${activity}-color`,
  ];
  return names.reduceRight((fallback, name) => `var(${name}, ${fallback})`, 'currentColor');
}
