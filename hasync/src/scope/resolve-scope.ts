import type { HomeView } from '../cache/home-view.ts';

/** What an admin chose for a device: whole areas, single extra entities, and exclusions. */
export interface ScopeRule {
  readonly areas: readonly string[];
  readonly entities: readonly string[];
  readonly excluded: readonly string[];
}

/** An entity's area: its own registry area, else its device's area, else none. */
export function areaOfEntity(home: HomeView, entityId: string): string | undefined {
  const entry = home.entityEntries().get(entityId);
  if (!entry) return undefined;
  if (entry.area_id) return entry.area_id;
  if (!entry.device_id) return undefined;
  return home.devices().get(entry.device_id)?.area_id ?? undefined;
}

/**
 * The entity ids a device may see: entities with state whose area is in `areas`, plus
 * `entities` that exist, minus `excluded`. Pure: the same rule and home give the same set.
 */
export function resolveScope(rule: ScopeRule, home: HomeView): Set<string> {
  const areas = new Set(rule.areas);
  const excluded = new Set(rule.excluded);
  const scope = new Set<string>();
  if (areas.size > 0) {
    for (const entityId of home.states().keys()) {
      const area = areaOfEntity(home, entityId);
      if (area !== undefined && areas.has(area)) scope.add(entityId);
    }
  }
  for (const entityId of rule.entities) {
    if (home.states().has(entityId)) scope.add(entityId);
  }
  for (const entityId of excluded) scope.delete(entityId);
  return scope;
}
