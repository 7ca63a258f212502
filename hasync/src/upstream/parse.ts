import type {
  AreaEntry,
  DeviceEntry,
  EntityEntry,
  HassConfig,
  HassServices,
} from '../protocol/home-assistant.ts';
import { HasyncError } from '../shared/errors.ts';

function malformed(what: string): never {
  throw new HasyncError('upstream_malformed', `malformed ${what} from Home Assistant`);
}

function isObj(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A list whose every entry is an object with string `key`; entries are kept as sent (snake_case). */
function listOf<T>(value: unknown, key: string, what: string): T[] {
  if (!Array.isArray(value)) malformed(what);
  for (const entry of value) {
    if (!isObj(entry) || typeof entry[key] !== 'string') malformed(what);
  }
  return value as T[];
}

export function parseAreas(value: unknown): AreaEntry[] {
  return listOf<AreaEntry>(value, 'area_id', 'area registry');
}

export function parseDevices(value: unknown): DeviceEntry[] {
  return listOf<DeviceEntry>(value, 'id', 'device registry');
}

export function parseEntityEntries(value: unknown): EntityEntry[] {
  return listOf<EntityEntry>(value, 'entity_id', 'entity registry');
}

export function parseConfig(value: unknown): HassConfig {
  if (!isObj(value) || typeof value.version !== 'string') malformed('config');
  return value as HassConfig;
}

export function parseServices(value: unknown): HassServices {
  if (!isObj(value) || !Object.values(value).every(isObj)) malformed('services');
  return value as HassServices;
}
