import type { DemoArea, DemoDevice, DemoEntityEntry, DemoFloor, DemoLabel } from './registry.ts';

/** Builders for registry entries with Home Assistant's defaults. */

export function makeArea(
  areaId: string,
  name: string,
  icon: string | null,
  now: number,
  more: Partial<DemoArea> = {},
): DemoArea {
  return {
    aliases: [],
    area_id: areaId,
    floor_id: null,
    humidity_entity_id: null,
    icon,
    labels: [],
    name,
    picture: null,
    temperature_entity_id: null,
    created_at: now,
    modified_at: now,
    ...more,
  };
}

export function makeFloor(
  floorId: string,
  name: string,
  level: number | null,
  icon: string | null,
  now: number,
): DemoFloor {
  return {
    aliases: [],
    created_at: now,
    floor_id: floorId,
    icon,
    level,
    name,
    modified_at: now,
  };
}

export interface LabelSpec {
  labelId: string;
  name: string;
  color?: string | null;
  icon?: string | null;
  description?: string | null;
}

export function makeLabel(spec: LabelSpec, now: number): DemoLabel {
  return {
    color: spec.color ?? null,
    created_at: now,
    description: spec.description ?? null,
    icon: spec.icon ?? null,
    label_id: spec.labelId,
    name: spec.name,
    modified_at: now,
  };
}

export interface DeviceSpec {
  id: string;
  name: string;
  areaId: string | null;
  manufacturer: string;
  model: string;
  labels?: string[];
}

export function makeDevice(spec: DeviceSpec, now: number): DemoDevice {
  return {
    area_id: spec.areaId,
    configuration_url: null,
    config_entries: ['demo'],
    config_entries_subentries: { demo: [null] },
    connections: [],
    created_at: now,
    disabled_by: null,
    entry_type: null,
    hw_version: null,
    id: spec.id,
    identifiers: [['demo', spec.id]],
    labels: spec.labels ?? [],
    manufacturer: spec.manufacturer,
    model: spec.model,
    model_id: null,
    modified_at: now,
    name_by_user: null,
    name: spec.name,
    primary_config_entry: 'demo',
    serial_number: null,
    sw_version: '1.0',
    via_device_id: null,
  };
}

export interface EntityEntrySpec {
  entityId: string;
  name: string;
  deviceId: string | null;
  areaId: string | null;
  /** Anything else of the entry: labels, hidden_by, entity_category, has_entity_name… */
  more?: Partial<DemoEntityEntry>;
}

export function makeEntityEntry(spec: EntityEntrySpec, now: number): DemoEntityEntry {
  return {
    area_id: spec.areaId,
    categories: {},
    config_entry_id: 'demo',
    config_subentry_id: null,
    created_at: now,
    device_id: spec.deviceId,
    disabled_by: null,
    entity_category: null,
    entity_id: spec.entityId,
    has_entity_name: false,
    hidden_by: null,
    icon: null,
    id: `reg_${spec.entityId.replace('.', '_')}`,
    labels: [],
    modified_at: now,
    name: null,
    options: {},
    original_name: spec.name,
    platform: 'demo',
    translation_key: null,
    unique_id: `demo_${spec.entityId}`,
    ...spec.more,
  };
}
