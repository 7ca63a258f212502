import type {
  AreaEntry,
  DeviceEntry,
  EntityDisplayList,
  EntityEntry,
  FloorEntry,
  HassConfig,
  HassServices,
  HassState,
  LabelEntry,
} from '../protocol/home-assistant.ts';

/**
 * A read-only view of the home as Home Assistant last reported it: entity states and the area,
 * device and entity registries. The cache implements it; scope, pairing, gateway and http read it.
 * Returned maps must not be mutated by callers; the cache replaces entries rather than editing them.
 */
export interface HomeView {
  state(entityId: string): HassState | undefined;
  states(): ReadonlyMap<string, HassState>;
  areas(): ReadonlyMap<string, AreaEntry>;
  devices(): ReadonlyMap<string, DeviceEntry>;
  /** Entity registry entries by entity_id (entities without one have no area). */
  entityEntries(): ReadonlyMap<string, EntityEntry>;
  /** Floors and labels: empty when upstream predates them (Home Assistant < 2024.4). */
  floors(): ReadonlyMap<string, FloorEntry>;
  labels(): ReadonlyMap<string, LabelEntry>;
  /** Upstream's own `config/entity_registry/list_for_display`, verbatim; undefined before sync. */
  entitiesForDisplay(): EntityDisplayList | undefined;
  /** Home Assistant's config (`get_config`), once connected. */
  config(): HassConfig | undefined;
  services(): HassServices;
}
