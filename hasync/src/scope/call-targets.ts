import type { HomeView } from '../cache/home-view.ts';
import type { EntityEntry } from '../protocol/home-assistant.ts';

/** The target keys Home Assistant resolves (2024.4+ adds floors and labels). Any other is refused. */
export const TARGET_KEYS = ['entity_id', 'device_id', 'area_id', 'floor_id', 'label_id'] as const;
export type TargetKey = (typeof TARGET_KEYS)[number];

/** Ids named by a call, per target key, from `target` and `service_data` together. */
export type TargetIds = Record<TargetKey, string[]>;

/** Every id the call names; undefined when a value is not an id or a list of ids. */
export function collectTargetIds(
  target: Readonly<Record<string, unknown>> | undefined,
  serviceData: Readonly<Record<string, unknown>>,
): TargetIds | undefined {
  const ids = {} as TargetIds;
  for (const key of TARGET_KEYS) {
    const list: string[] = [];
    for (const value of [target?.[key], serviceData[key]]) {
      if (value === undefined || value === null) continue;
      for (const id of Array.isArray(value) ? value : [value]) {
        if (typeof id !== 'string' || id.length === 0) return undefined;
        // HA: helpers/config_validation.py comp_entity_ids — "a, b" is two ids.
        const parts = key === 'entity_id' ? id.split(',').map((part) => part.trim()) : [id];
        list.push(...parts);
      }
    }
    ids[key] = list;
  }
  return ids;
}

/** Whether an indirect reference reaches this entity (HA skips hidden and categorised ones). */
function indirectlyReachable(entry: EntityEntry): boolean {
  return entry.hidden_by === null && entry.entity_category === null && !entry.disabled_by;
}

/**
 * The entities a device, area, floor or label target reaches, as Home Assistant resolves them:
 * an area reaches entities whose own area it is, and entities without an area whose device is in
 * it; a device reaches all its entities; floors reach their areas; labels reach labelled entities,
 * devices and areas. Hidden, config and diagnostic entities are never reached indirectly.
 * HA: homeassistant/helpers/service.py async_extract_referenced_entity_ids
 */
export function expandIndirect(home: HomeView, ids: TargetIds): string[] {
  const areas = new Set(ids.area_id);
  const explicitDevices = new Set(ids.device_id);
  const labels = new Set(ids.label_id);
  const labelled = new Set<string>();
  // Devices reached through an area or a label: only their entities without an area of their own.
  const indirectDevices = new Set<string>();
  if (ids.floor_id.length > 0) {
    const floors = new Set(ids.floor_id);
    for (const area of home.areas().values()) {
      if (area.floor_id !== null && floors.has(area.floor_id)) areas.add(area.area_id);
    }
  }
  if (labels.size > 0) {
    const hasLabel = (entry: { labels?: string[] }) => entry.labels?.some((l) => labels.has(l));
    for (const area of home.areas().values()) if (hasLabel(area)) areas.add(area.area_id);
    for (const device of home.devices().values())
      if (hasLabel(device)) indirectDevices.add(device.id);
    for (const entry of home.entityEntries().values())
      if (hasLabel(entry)) labelled.add(entry.entity_id);
  }
  if (areas.size > 0) {
    for (const device of home.devices().values()) {
      if (device.area_id !== null && areas.has(device.area_id)) indirectDevices.add(device.id);
    }
  }
  const reached: string[] = [];
  for (const entry of home.entityEntries().values()) {
    if (!indirectlyReachable(entry)) continue;
    const device = entry.device_id;
    const byArea = entry.area_id !== null && areas.has(entry.area_id);
    const byDevice = device !== null && explicitDevices.has(device);
    const byIndirectDevice = !entry.area_id && device !== null && indirectDevices.has(device);
    if (byArea || byDevice || byIndirectDevice || labelled.has(entry.entity_id))
      reached.push(entry.entity_id);
  }
  return reached;
}

/**
 * Every entity that device, area, floor and label ids name, hidden and categorised ones included,
 * plus the entity ids themselves: what a field naming them could affect. `complete` is false when
 * an id names nothing HAsync knows (it cannot be shown to lie inside a scope).
 */
export function entitiesNamed(
  home: HomeView,
  ids: TargetIds,
): { entityIds: string[]; complete: boolean } {
  const areas = new Set(ids.area_id);
  for (const area of home.areas().values()) {
    if (area.floor_id !== null && ids.floor_id.includes(area.floor_id)) areas.add(area.area_id);
  }
  const devices = new Set(ids.device_id);
  for (const device of home.devices().values()) {
    if (device.area_id !== null && areas.has(device.area_id)) devices.add(device.id);
  }
  const labels = new Set(ids.label_id);
  const out = new Set(ids.entity_id);
  for (const entry of home.entityEntries().values()) {
    const area =
      entry.area_id ?? (entry.device_id ? home.devices().get(entry.device_id)?.area_id : null);
    if (
      (entry.device_id !== null && devices.has(entry.device_id)) ||
      (area && areas.has(area)) ||
      entry.labels?.some((label) => labels.has(label))
    )
      out.add(entry.entity_id);
  }
  const complete =
    ids.device_id.every((id) => home.devices().has(id)) &&
    ids.area_id.every((id) => home.areas().has(id)) &&
    ids.floor_id.every((id) => home.floors().has(id)) &&
    ids.label_id.every((id) => home.labels().has(id));
  return { entityIds: [...out], complete };
}
