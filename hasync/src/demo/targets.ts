import type { DemoEntityEntry, DemoRegistry } from './registry.ts';

/** The ids a service call names, from `target` merged into its data (service.py `ServiceTargetSelector`). */
export interface TargetSelector {
  entityIds: Set<string>;
  deviceIds: Set<string>;
  areaIds: Set<string>;
  floorIds: Set<string>;
  labelIds: Set<string>;
}

/** What helpers/service.py `async_extract_referenced_entity_ids` finds. */
export interface ReferencedEntities {
  /** Named directly (`entity_id`), reported missing when unknown. */
  referenced: Set<string>;
  /** Reached through a device, area, floor or label. */
  indirectlyReferenced: Set<string>;
  /** `entity_id: all`. */
  all: boolean;
}

function idSet(value: unknown): Set<string> {
  if (value === undefined || value === null || value === 'none') return new Set();
  const list = Array.isArray(value) ? value : [value];
  return new Set(list.filter((v): v is string => typeof v === 'string'));
}

export function targetSelector(data: Readonly<Record<string, unknown>>): TargetSelector {
  return {
    entityIds: idSet(data.entity_id),
    deviceIds: idSet(data.device_id),
    areaIds: idSet(data.area_id),
    floorIds: idSet(data.floor_id),
    labelIds: idSet(data.label_id),
  };
}

/** Indirect references skip hidden entities and config/diagnostic ones. */
function visible(entry: DemoEntityEntry): boolean {
  return entry.entity_category === null && entry.hidden_by === null;
}

/**
 * helpers/service.py `async_extract_referenced_entity_ids`: entities named directly, plus those
 * of targeted devices, of devices and entities in targeted areas (floors give their areas, labels
 * give labelled entities, devices and areas). An entity of a device in a targeted area counts only
 * when it has no area of its own. Disabled entities are never reached through a device.
 */
export function referencedEntities(reg: DemoRegistry, sel: TargetSelector): ReferencedEntities {
  const out: ReferencedEntities = {
    referenced: new Set(sel.entityIds),
    indirectlyReferenced: new Set(),
    all: sel.entityIds.has('all'),
  };
  out.referenced.delete('all');
  const devices = new Set(sel.deviceIds);
  const areas = new Set(sel.areaIds);
  for (const labelId of sel.labelIds) {
    for (const entry of reg.entities.values()) {
      if (entry.labels.includes(labelId) && visible(entry)) {
        out.indirectlyReferenced.add(entry.entity_id);
      }
    }
    for (const device of reg.devices.values())
      if (device.labels.includes(labelId)) devices.add(device.id);
    for (const area of reg.areas.values())
      if (area.labels.includes(labelId)) areas.add(area.area_id);
  }
  for (const floorId of sel.floorIds)
    for (const area of reg.areasOnFloor(floorId)) areas.add(area.area_id);
  for (const deviceId of devices) addVisible(out, reg.entitiesOfDevice(deviceId));
  for (const areaId of areas) {
    addVisible(out, reg.entitiesWithArea(areaId));
    for (const device of reg.devicesInArea(areaId)) {
      addVisible(
        out,
        reg.entitiesOfDevice(device.id).filter((e) => !e.area_id),
      );
    }
  }
  return out;
}

function addVisible(out: ReferencedEntities, entries: DemoEntityEntry[]): void {
  for (const entry of entries) if (visible(entry)) out.indirectlyReferenced.add(entry.entity_id);
}
