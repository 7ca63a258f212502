import type { HomeView } from '../cache/home-view.ts';
import { domainOf } from '../protocol/home-assistant.ts';

/**
 * What an admin chose for a device: selectors — whole areas, floors (their areas), labels
 * (labelled entities, devices and areas) and domains — plus single extra entities, minus
 * exclusions. The newer selectors are optional so a rule stored before them reads as none.
 */
export interface ScopeRule {
  readonly areas: readonly string[];
  readonly entities: readonly string[];
  readonly excluded: readonly string[];
  readonly floors?: readonly string[];
  readonly labels?: readonly string[];
  readonly domains?: readonly string[];
}

/** An entity's area: its own registry area, else its device's area, else none. */
export function areaOfEntity(home: HomeView, entityId: string): string | undefined {
  const entry = home.entityEntries().get(entityId);
  if (!entry) return undefined;
  if (entry.area_id) return entry.area_id;
  if (!entry.device_id) return undefined;
  return home.devices().get(entry.device_id)?.area_id ?? undefined;
}

/** The areas a rule reaches: its own, those on its floors, and those carrying its labels. */
function selectedAreas(rule: ScopeRule, home: HomeView): Set<string> {
  const areas = new Set(rule.areas);
  const floors = new Set(rule.floors ?? []);
  const labels = new Set(rule.labels ?? []);
  if (floors.size === 0 && labels.size === 0) return areas;
  for (const area of home.areas().values()) {
    if (area.floor_id !== null && floors.has(area.floor_id)) areas.add(area.area_id);
    if (area.labels?.some((label) => labels.has(label))) areas.add(area.area_id);
  }
  return areas;
}

/** Whether a label selector reaches this entity: its own labels, or its device's. */
function labelled(home: HomeView, entityId: string, labels: ReadonlySet<string>): boolean {
  const entry = home.entityEntries().get(entityId);
  if (!entry) return false;
  if (entry.labels?.some((label) => labels.has(label))) return true;
  const device = entry.device_id ? home.devices().get(entry.device_id) : undefined;
  return device?.labels?.some((label) => labels.has(label)) ?? false;
}

/**
 * The entity ids a device may see: entities with state reached by any selector (area — an
 * entity's own, else its device's; floor; label; domain), plus `entities` that exist, minus
 * `excluded`. Pure: the same rule and home give the same set, and it follows the registries.
 */
export function resolveScope(rule: ScopeRule, home: HomeView): Set<string> {
  const areas = selectedAreas(rule, home);
  const labels = new Set(rule.labels ?? []);
  const domains = new Set(rule.domains ?? []);
  const excluded = new Set(rule.excluded);
  const scope = new Set<string>();
  if (areas.size > 0 || labels.size > 0 || domains.size > 0) {
    for (const entityId of home.states().keys()) {
      const area = areas.size > 0 ? areaOfEntity(home, entityId) : undefined;
      if (
        (area !== undefined && areas.has(area)) ||
        domains.has(domainOf(entityId)) ||
        (labels.size > 0 && labelled(home, entityId, labels))
      )
        scope.add(entityId);
    }
  }
  for (const entityId of rule.entities) {
    if (home.states().has(entityId)) scope.add(entityId);
  }
  for (const entityId of excluded) scope.delete(entityId);
  return scope;
}
