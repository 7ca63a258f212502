import type { HomeView } from '../cache/home-view.ts';
import type {
  AreaEntry,
  DeviceEntry,
  EntityDisplayList,
  FloorEntry,
  LabelEntry,
} from '../protocol/home-assistant.ts';
import { areaOfEntity } from '../scope/resolve-scope.ts';

/**
 * Registry listings limited to what a scope reaches, each entry exactly as Home Assistant sent
 * it: the devices of scoped entities, the areas those entities and devices are in, the floors of
 * those areas, and the labels any of them carry.
 */
export interface ScopedRegistries {
  readonly devices: DeviceEntry[];
  readonly areas: AreaEntry[];
  readonly floors: FloorEntry[];
  readonly labels: LabelEntry[];
}

export function scopedDeviceIds(home: HomeView, scope: ReadonlySet<string>): Set<string> {
  const ids = new Set<string>();
  for (const entityId of scope) {
    const deviceId = home.entityEntries().get(entityId)?.device_id;
    if (deviceId) ids.add(deviceId);
  }
  return ids;
}

export function scopedAreaIds(home: HomeView, scope: ReadonlySet<string>): Set<string> {
  const ids = new Set<string>();
  for (const entityId of scope) {
    const area = areaOfEntity(home, entityId);
    if (area) ids.add(area);
  }
  for (const deviceId of scopedDeviceIds(home, scope)) {
    const area = home.devices().get(deviceId)?.area_id;
    if (area) ids.add(area);
  }
  return ids;
}

export function scopedRegistries(home: HomeView, scope: ReadonlySet<string>): ScopedRegistries {
  const devices = [...scopedDeviceIds(home, scope)].flatMap((id) => home.devices().get(id) ?? []);
  const areas = [...scopedAreaIds(home, scope)].flatMap((id) => home.areas().get(id) ?? []);
  const floorIds = new Set(areas.flatMap((area) => area.floor_id ?? []));
  const floors = [...floorIds].flatMap((id) => home.floors().get(id) ?? []);
  const labelIds = new Set<string>();
  const addLabels = (entry: { labels?: string[] } | undefined) => {
    for (const label of entry?.labels ?? []) labelIds.add(label);
  };
  for (const entityId of scope) addLabels(home.entityEntries().get(entityId));
  for (const entry of [...devices, ...areas]) addLabels(entry);
  const labels = [...labelIds].flatMap((id) => home.labels().get(id) ?? []);
  return { devices, areas, floors, labels };
}

/** Upstream's `list_for_display`, keeping only scoped entities. */
export function scopedDisplayList(home: HomeView, scope: ReadonlySet<string>): EntityDisplayList {
  const display = home.entitiesForDisplay();
  return {
    entity_categories: display?.entity_categories ?? {},
    entities: (display?.entities ?? []).filter((row) => scope.has(row.ei)),
  };
}
