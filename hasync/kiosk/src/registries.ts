import type { Connection, HassEntities } from 'home-assistant-js-websocket';

/** Where each scoped entity belongs: its area id (its own, else its device's) and area names. */
export interface Placement {
  readonly areaNames: ReadonlyMap<string, string>;
  readonly areaOf: ReadonlyMap<string, string>;
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
    conn.sendMessagePromise<{ id: string; area_id: string | null }[]>({
      type: 'config/device_registry/list',
    }),
    conn.sendMessagePromise<{ entities: DisplayEntry[] }>({
      type: 'config/entity_registry/list_for_display',
    }),
  ]);
  const deviceArea = new Map(devices.flatMap((d) => (d.area_id ? [[d.id, d.area_id]] : [])));
  const areaOf = new Map<string, string>();
  for (const entry of display.entities) {
    const area = entry.ai ?? (entry.di ? deviceArea.get(entry.di) : undefined);
    if (area) areaOf.set(entry.ei, area);
  }
  return { areaNames: new Map(areas.map((a) => [a.area_id, a.name])), areaOf };
}

/** A section on screen: an area (or "Other") and its entity ids, sorted by name. */
export interface Section {
  readonly key: string;
  readonly title: string;
  readonly entityIds: string[];
}

const OTHER = 'Other';

/** An area the device was not assigned (an entity added on its own) still gets a readable title. */
function titleOf(areaId: string, placement: Placement): string {
  const name = placement.areaNames.get(areaId);
  if (name) return name;
  const words = areaId.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Groups the entities into sections: areas by name, then "Other". */
export function sectionsOf(entities: HassEntities, placement: Placement): Section[] {
  const groups = new Map<string, string[]>();
  for (const entityId of Object.keys(entities)) {
    const key = placement.areaOf.get(entityId) ?? '';
    groups.set(key, [...(groups.get(key) ?? []), entityId]);
  }
  const nameOf = (id: string) =>
    String(entities[id]?.attributes.friendly_name ?? id).toLocaleLowerCase();
  const sections = [...groups].map(([key, ids]) => ({
    key,
    title: key ? titleOf(key, placement) : OTHER,
    entityIds: ids.sort((a, b) => nameOf(a).localeCompare(nameOf(b))),
  }));
  return sections.sort((a, b) => {
    if (!a.key || !b.key) return a.key ? -1 : 1;
    return a.title.localeCompare(b.title);
  });
}
