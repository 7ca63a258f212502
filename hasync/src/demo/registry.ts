import type { AreaEntry, DeviceEntry, EntityEntry } from '../protocol/home-assistant.ts';

/** An area as `config/area_registry/list` returns it. */
export interface DemoArea extends AreaEntry {
  labels: string[];
  humidity_entity_id: string | null;
  temperature_entity_id: string | null;
  created_at: number;
  modified_at: number;
}

/** A device as `config/device_registry/list` returns it. */
export interface DemoDevice extends DeviceEntry {
  config_entries: string[];
  connections: string[][];
  identifiers: string[][];
  entry_type: string | null;
  labels: string[];
  sw_version: string | null;
  hw_version: string | null;
  via_device_id: string | null;
  configuration_url: string | null;
  serial_number: string | null;
  model_id: string | null;
  primary_config_entry: string | null;
  created_at: number;
  modified_at: number;
}

/** An entity registry entry as `config/entity_registry/list` returns it. */
export interface DemoEntityEntry extends EntityEntry {
  unique_id: string;
  config_entry_id: string | null;
  has_entity_name: boolean;
  translation_key: string | null;
  labels: string[];
  categories: Record<string, string>;
  options: Record<string, unknown>;
  created_at: number;
  modified_at: number;
}

export type RegistryEvent =
  | 'area_registry_updated'
  | 'device_registry_updated'
  | 'entity_registry_updated';

/** Home Assistant's index for `entity_category` in `list_for_display`. */
const ENTITY_CATEGORY_INDEX: Record<string, number> = { config: 0, diagnostic: 1 };

/** The demo home's area, device and entity registries. Entries are replaced, never edited. */
export class DemoRegistry {
  readonly areas = new Map<string, DemoArea>();
  readonly devices = new Map<string, DemoDevice>();
  readonly entities = new Map<string, DemoEntityEntry>();

  /** The entity's area: its own, else its device's (Home Assistant's rule). */
  areaOf(entityId: string): string | null {
    const entry = this.entities.get(entityId);
    if (!entry) return null;
    if (entry.area_id) return entry.area_id;
    return entry.device_id ? (this.devices.get(entry.device_id)?.area_id ?? null) : null;
  }

  entitiesOfDevice(deviceId: string): string[] {
    const out: string[] = [];
    for (const entry of this.entities.values()) {
      if (entry.device_id === deviceId) out.push(entry.entity_id);
    }
    return out;
  }

  entitiesInArea(areaId: string): string[] {
    const out: string[] = [];
    for (const entry of this.entities.values()) {
      if (this.areaOf(entry.entity_id) === areaId) out.push(entry.entity_id);
    }
    return out;
  }

  /** `config/entity_registry/list_for_display`: short keys, absent when empty. */
  listForDisplay(): { entity_categories: Record<string, string>; entities: object[] } {
    const entities: object[] = [];
    for (const e of this.entities.values()) {
      const d: Record<string, unknown> = { ei: e.entity_id, pl: e.platform };
      if (e.area_id !== null) d.ai = e.area_id;
      if (e.labels.length > 0) d.lb = e.labels;
      if (e.device_id !== null) d.di = e.device_id;
      if (e.icon !== null) d.ic = e.icon;
      if (e.translation_key !== null) d.tk = e.translation_key;
      if (e.entity_category !== null) d.ec = ENTITY_CATEGORY_INDEX[e.entity_category];
      if (e.hidden_by !== null) d.hb = true;
      if (e.has_entity_name) d.hn = true;
      const name = e.name ?? e.original_name;
      if (name !== null) d.en = name;
      entities.push(d);
    }
    return { entity_categories: { '0': 'config', '1': 'diagnostic' }, entities };
  }
}

export function makeArea(areaId: string, name: string, icon: string | null, now: number): DemoArea {
  return {
    area_id: areaId,
    name,
    icon,
    floor_id: null,
    aliases: [],
    picture: null,
    labels: [],
    humidity_entity_id: null,
    temperature_entity_id: null,
    created_at: now,
    modified_at: now,
  };
}

export interface DeviceSpec {
  id: string;
  name: string;
  areaId: string | null;
  manufacturer: string;
  model: string;
}

export function makeDevice(spec: DeviceSpec, now: number): DemoDevice {
  return {
    id: spec.id,
    name: spec.name,
    name_by_user: null,
    area_id: spec.areaId,
    manufacturer: spec.manufacturer,
    model: spec.model,
    disabled_by: null,
    config_entries: ['demo'],
    connections: [],
    identifiers: [['demo', spec.id]],
    entry_type: null,
    labels: [],
    sw_version: '1.0',
    hw_version: null,
    via_device_id: null,
    configuration_url: null,
    serial_number: null,
    model_id: null,
    primary_config_entry: 'demo',
    created_at: now,
    modified_at: now,
  };
}

export interface EntityEntrySpec {
  entityId: string;
  name: string;
  deviceId: string | null;
  areaId: string | null;
}

export function makeEntityEntry(spec: EntityEntrySpec, now: number): DemoEntityEntry {
  return {
    entity_id: spec.entityId,
    id: `reg_${spec.entityId.replace('.', '_')}`,
    unique_id: `demo_${spec.entityId}`,
    name: null,
    original_name: spec.name,
    icon: null,
    platform: 'demo',
    area_id: spec.areaId,
    device_id: spec.deviceId,
    disabled_by: null,
    hidden_by: null,
    entity_category: null,
    config_entry_id: 'demo',
    has_entity_name: false,
    translation_key: null,
    labels: [],
    categories: {},
    options: {},
    created_at: now,
    modified_at: now,
  };
}
