import type {
  AreaEntry,
  DeviceEntry,
  DisplayEntity,
  EntityDisplayList,
  EntityEntry,
  FloorEntry,
  LabelEntry,
} from '../protocol/home-assistant.ts';

/**
 * The demo home's registries in the shapes Home Assistant 2025.x sends them (the version the demo
 * reports): area `json_fragment` (helpers/area_registry.py), device `dict_repr`
 * (helpers/device_registry.py), entity `as_partial_dict` and `_as_display_dict`
 * (helpers/entity_registry.py), floor and label `_entry_dict` (components/config/*_registry.py).
 * Timestamps are float epoch seconds, as Home Assistant sends `created_at`/`modified_at`.
 */

export interface DemoArea extends AreaEntry {
  labels: string[];
  humidity_entity_id: string | null;
  temperature_entity_id: string | null;
  created_at: number;
  modified_at: number;
}

export interface DemoFloor extends FloorEntry {
  created_at: number;
  modified_at: number;
}

export interface DemoLabel extends LabelEntry {
  created_at: number;
  modified_at: number;
}

export interface DemoDevice extends DeviceEntry {
  config_entries: string[];
  config_entries_subentries: Record<string, (string | null)[]>;
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

export interface DemoEntityEntry extends EntityEntry {
  unique_id: string;
  config_entry_id: string | null;
  config_subentry_id: string | null;
  has_entity_name: boolean;
  translation_key: string | null;
  labels: string[];
  categories: Record<string, string>;
  options: Record<string, Record<string, unknown>>;
  created_at: number;
  modified_at: number;
}

export type RegistryEvent =
  | 'area_registry_updated'
  | 'device_registry_updated'
  | 'entity_registry_updated'
  | 'floor_registry_updated'
  | 'label_registry_updated';

/** helpers/entity.py `ENTITY_CATEGORY_VALUE_TO_INDEX`. */
const ENTITY_CATEGORY_INDEX: Record<string, number> = { config: 0, diagnostic: 1 };

/** The demo home's registries. Entries are replaced, never edited. */
export class DemoRegistry {
  readonly areas = new Map<string, DemoArea>();
  readonly floors = new Map<string, DemoFloor>();
  readonly labels = new Map<string, DemoLabel>();
  readonly devices = new Map<string, DemoDevice>();
  readonly entities = new Map<string, DemoEntityEntry>();

  /** The entity's area: its own, else its device's (Home Assistant's rule). */
  areaOf(entityId: string): string | null {
    const entry = this.entities.get(entityId);
    if (!entry) return null;
    if (entry.area_id) return entry.area_id;
    return entry.device_id ? (this.devices.get(entry.device_id)?.area_id ?? null) : null;
  }

  /** Enabled entities of a device (`get_entries_for_device_id` leaves disabled ones out). */
  entitiesOfDevice(deviceId: string): DemoEntityEntry[] {
    return [...this.entities.values()].filter(
      (e) => e.device_id === deviceId && e.disabled_by === null,
    );
  }

  /** Entities whose own `area_id` is the area (`get_entries_for_area_id`). */
  entitiesWithArea(areaId: string): DemoEntityEntry[] {
    return [...this.entities.values()].filter((e) => e.area_id === areaId);
  }

  /** Every entity in the area, directly or through its device. */
  entitiesInArea(areaId: string): string[] {
    const out: string[] = [];
    for (const entry of this.entities.values()) {
      if (this.areaOf(entry.entity_id) === areaId) out.push(entry.entity_id);
    }
    return out;
  }

  devicesInArea(areaId: string): DemoDevice[] {
    return [...this.devices.values()].filter((d) => d.area_id === areaId);
  }

  areasOnFloor(floorId: string): DemoArea[] {
    return [...this.areas.values()].filter((a) => a.floor_id === floorId);
  }

  /** `config/entity_registry/list`: enabled and disabled entries alike. */
  listEntities(): DemoEntityEntry[] {
    return [...this.entities.values()];
  }

  /** `config/entity_registry/list_for_display` (components/config/entity_registry.py). */
  listForDisplay(): EntityDisplayList {
    const entities: DisplayEntity[] = [];
    for (const e of this.entities.values()) {
      if (e.disabled_by === null) entities.push(displayEntry(e));
    }
    return { entity_categories: { '0': 'config', '1': 'diagnostic' }, entities };
  }
}

/** helpers/entity_registry.py `RegistryEntry._as_display_dict`. */
function displayEntry(e: DemoEntityEntry): DisplayEntity {
  const d: DisplayEntity = { ei: e.entity_id, pl: e.platform };
  if (e.area_id !== null) d.ai = e.area_id;
  d.lb = e.labels;
  if (e.device_id !== null) d.di = e.device_id;
  if (e.icon !== null) d.ic = e.icon;
  if (e.translation_key !== null) d.tk = e.translation_key;
  if (e.entity_category !== null) d.ec = ENTITY_CATEGORY_INDEX[e.entity_category];
  if (e.hidden_by !== null) d.hb = true;
  if (e.has_entity_name) d.hn = true;
  const name = e.name || e.original_name;
  if (name) d.en = name;
  const sensor = e.entity_id.startsWith('sensor.') ? e.options.sensor : undefined;
  const precision = sensor?.display_precision ?? sensor?.suggested_display_precision;
  if (precision !== undefined && precision !== null) d.dp = precision;
  return d;
}
