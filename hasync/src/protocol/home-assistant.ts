/**
 * Home Assistant's wire types, snake_case kept verbatim. Shared by the upstream link, the cache,
 * the demo home and the device API.
 */

export interface HassContext {
  id: string;
  parent_id: string | null;
  user_id: string | null;
}

export type HassAttributes = Record<string, unknown>;

/** One entity's state as `get_states` and `state_changed` carry it. */
export interface HassState {
  entity_id: string;
  state: string;
  attributes: HassAttributes;
  /** ISO 8601 timestamps. */
  last_changed: string;
  last_updated: string;
  /** Home Assistant 2024.4+ only; kept verbatim when upstream sends it. */
  last_reported?: string;
  context: HassContext;
}

/** An event as Home Assistant's `subscribe_events` delivers it (websocket_api/messages.py). */
export interface HassEvent {
  event_type: string;
  data: Record<string, unknown>;
  origin: string;
  /** As Home Assistant wrote it (ISO 8601, microseconds, `+00:00`). */
  time_fired: string;
  context: HassContext;
}

export interface AreaEntry {
  area_id: string;
  name: string;
  icon: string | null;
  floor_id: string | null;
  aliases: string[];
  picture: string | null;
  labels?: string[];
  [key: string]: unknown;
}

/** Home Assistant 2024.4+ (`config/floor_registry/list`). */
export interface FloorEntry {
  floor_id: string;
  name: string;
  level: number | null;
  icon: string | null;
  aliases: string[];
  [key: string]: unknown;
}

/** Home Assistant 2024.4+ (`config/label_registry/list`). */
export interface LabelEntry {
  label_id: string;
  name: string;
  color: string | null;
  icon: string | null;
  description: string | null;
  [key: string]: unknown;
}

/** Entries are kept as Home Assistant sent them; only the fields HAsync reads are named. */
export interface DeviceEntry {
  id: string;
  name: string | null;
  name_by_user: string | null;
  area_id: string | null;
  manufacturer: string | null;
  model: string | null;
  disabled_by: string | null;
  labels?: string[];
  [key: string]: unknown;
}

export interface EntityEntry {
  entity_id: string;
  id: string;
  name: string | null;
  original_name: string | null;
  icon: string | null;
  platform: string;
  area_id: string | null;
  device_id: string | null;
  disabled_by: string | null;
  hidden_by: string | null;
  entity_category: string | null;
  /** Home Assistant 2024.4+. */
  labels?: string[];
  [key: string]: unknown;
}

/** One row of `config/entity_registry/list_for_display` (short keys, as Home Assistant sends). */
export interface DisplayEntity {
  ei: string;
  pl: string;
  [key: string]: unknown;
}

/** `config/entity_registry/list_for_display` as Home Assistant answers it. */
export interface EntityDisplayList {
  entity_categories: Record<string, string>;
  entities: DisplayEntity[];
}

export interface HassConfig {
  location_name: string;
  latitude: number;
  longitude: number;
  elevation: number;
  unit_system: Record<string, string>;
  time_zone: string;
  version: string;
  components: string[];
  state: string;
  [key: string]: unknown;
}

export interface HassServiceField {
  name?: string;
  description?: string;
  required?: boolean;
  example?: unknown;
  selector?: unknown;
}

export interface HassService {
  name?: string;
  description?: string;
  fields: Record<string, HassServiceField>;
  target?: unknown;
}

/** domain → service → description, as `get_services` returns. */
export type HassServices = Record<string, Record<string, HassService>>;

/** `target` of `call_service`: each may be one id or a list. */
export interface HassServiceTarget {
  entity_id?: string | string[];
  device_id?: string | string[];
  area_id?: string | string[];
  floor_id?: string | string[];
  label_id?: string | string[];
}

export function domainOf(entityId: string): string {
  const dot = entityId.indexOf('.');
  return dot === -1 ? '' : entityId.slice(0, dot);
}
