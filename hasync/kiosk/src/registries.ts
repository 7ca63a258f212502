import type { Connection, HassEntities } from 'home-assistant-js-websocket';
import { areaTitle, tileName } from './names.ts';

/**
 * Where each scoped entity belongs: its area id (its own, else its device's) and area names, and
 * its device's name (for the tile names, which drop the device and area prefix as HA's do).
 */
export interface Placement {
  readonly areaNames: ReadonlyMap<string, string>;
  readonly areaOf: ReadonlyMap<string, string>;
  readonly deviceNameOf: ReadonlyMap<string, string>;
}

interface DeviceEntry {
  id: string;
  area_id: string | null;
  name?: string | null;
  name_by_user?: string | null;
}

interface DisplayEntry {
  ei: string;
  ai?: string;
  di?: string;
}

/** Fetches the device's (scoped) area, device and entity registries. */
export async function fetchPlacement(conn: Connection): Promise<Placement> {
  const [areas, devices, display] = await Promise.all([
    conn.sendMessagePromise<{ area_id: string; name: string }[]>({
      type: 'config/area_registry/list',
    }),
    conn.sendMessagePromise<DeviceEntry[]>({
      type: 'config/device_registry/list',
    }),
    conn.sendMessagePromise<{ entities: DisplayEntry[] }>({
      type: 'config/entity_registry/list_for_display',
    }),
  ]);
  const deviceArea = new Map(devices.flatMap((d) => (d.area_id ? [[d.id, d.area_id]] : [])));
  // HA: src/common/entity/compute_device_name.ts (name_by_user, else name, trimmed)
  const deviceName = new Map(
    devices.flatMap((d) => {
      const name = (d.name_by_user || d.name)?.trim();
      return name ? [[d.id, name]] : [];
    }),
  );
  const areaOf = new Map<string, string>();
  const deviceNameOf = new Map<string, string>();
  for (const entry of display.entities) {
    const area = entry.ai ?? (entry.di ? deviceArea.get(entry.di) : undefined);
    if (area) areaOf.set(entry.ei, area);
    const device = entry.di ? deviceName.get(entry.di) : undefined;
    if (device) deviceNameOf.set(entry.ei, device);
  }
  return { areaNames: new Map(areas.map((a) => [a.area_id, a.name])), areaOf, deviceNameOf };
}

/** A section on screen: an area (or "Other") and its entity ids, sorted by name. */
export interface Section {
  readonly key: string;
  readonly title: string;
  readonly entityIds: string[];
}

const OTHER = 'Other';

/** Groups the entities into sections: areas by name, then "Other". */
export function sectionsOf(entities: HassEntities, placement: Placement): Section[] {
  const groups = new Map<string, string[]>();
  for (const entityId of Object.keys(entities)) {
    const key = placement.areaOf.get(entityId) ?? '';
    groups.set(key, [...(groups.get(key) ?? []), entityId]);
  }
  const sections = [...groups].map(([key, ids]) => {
    const nameOf = (id: string) => {
      const entity = entities[id];
      return (entity ? tileName(entity, placement) : id).toLocaleLowerCase();
    };
    return {
      key,
      title: key ? areaTitle(key, placement) : OTHER,
      entityIds: ids.sort((a, b) => nameOf(a).localeCompare(nameOf(b))),
    };
  });
  return sections.sort((a, b) => {
    if (!a.key || !b.key) return a.key ? -1 : 1;
    return a.title.localeCompare(b.title);
  });
}
