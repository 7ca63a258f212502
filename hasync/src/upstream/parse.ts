import type {
  AreaEntry,
  DeviceEntry,
  EntityDisplayList,
  EntityEntry,
  FloorEntry,
  HassConfig,
  HassEvent,
  HassServices,
  HassState,
  LabelEntry,
} from '../protocol/home-assistant.ts';
import { HasyncError } from '../shared/errors.ts';

/**
 * Shape checks for what Home Assistant sends. Values are checked, never rebuilt: a state, event or
 * registry entry reaches the cache as the very object Home Assistant's JSON decoded to, so its
 * timestamps and contexts keep their wire form.
 */

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

export function parseFloors(value: unknown): FloorEntry[] {
  return listOf<FloorEntry>(value, 'floor_id', 'floor registry');
}

export function parseLabels(value: unknown): LabelEntry[] {
  return listOf<LabelEntry>(value, 'label_id', 'label registry');
}

export function parseDisplayList(value: unknown): EntityDisplayList {
  if (!isObj(value) || !isObj(value.entity_categories)) malformed('entity display list');
  listOf(value.entities, 'ei', 'entity display list');
  return value as unknown as EntityDisplayList;
}

export function parseConfig(value: unknown): HassConfig {
  if (!isObj(value) || typeof value.version !== 'string') malformed('config');
  return value as HassConfig;
}

export function parseServices(value: unknown): HassServices {
  if (!isObj(value) || !Object.values(value).every(isObj)) malformed('services');
  return value as HassServices;
}

function isContext(value: unknown): boolean {
  return isObj(value) && typeof value.id === 'string';
}

/** One state as `get_states` and `state_changed` carry it. */
export function isState(value: unknown): value is HassState {
  return (
    isObj(value) &&
    typeof value.entity_id === 'string' &&
    typeof value.state === 'string' &&
    isObj(value.attributes) &&
    typeof value.last_changed === 'string' &&
    typeof value.last_updated === 'string' &&
    isContext(value.context)
  );
}

export function parseStates(value: unknown): HassState[] {
  if (!Array.isArray(value) || !value.every(isState)) malformed('get_states result');
  return value;
}

/** An event as `subscribe_events` delivers it (websocket_api/messages.py event_message). */
export function parseEvent(value: unknown): HassEvent {
  if (
    !isObj(value) ||
    typeof value.event_type !== 'string' ||
    !isObj(value.data) ||
    typeof value.time_fired !== 'string' ||
    typeof value.origin !== 'string' ||
    !isContext(value.context)
  ) {
    malformed('event');
  }
  return value as unknown as HassEvent;
}

/** A `state_changed` event's data: `new_state` null means removed, `old_state` null added. */
export interface StateChangedData {
  readonly entity_id: string;
  readonly old_state: HassState | null;
  readonly new_state: HassState | null;
}

export function parseStateChanged(event: HassEvent): StateChangedData {
  const { entity_id } = event.data;
  const old_state = event.data.old_state ?? null;
  const new_state = event.data.new_state ?? null;
  if (
    typeof entity_id !== 'string' ||
    (old_state !== null && !isState(old_state)) ||
    (new_state !== null && !isState(new_state))
  ) {
    malformed('state_changed event');
  }
  return { entity_id, old_state, new_state };
}
