import type {
  AreaEntry,
  DeviceEntry,
  EntityDisplayList,
  EntityEntry,
  FloorEntry,
  HassConfig,
  HassEvent,
  HassServices,
  HassState,
  LabelEntry,
} from '../protocol/home-assistant.ts';

/** Everything the link fetches from Home Assistant on (re)connect. */
export interface HomeSnapshot {
  readonly states: readonly HassState[];
  readonly areas: readonly AreaEntry[];
  readonly devices: readonly DeviceEntry[];
  readonly entities: readonly EntityEntry[];
  /** Empty when upstream predates floors and labels (Home Assistant < 2024.4). */
  readonly floors: readonly FloorEntry[];
  readonly labels: readonly LabelEntry[];
  readonly display: EntityDisplayList;
  readonly config: HassConfig;
  readonly services: HassServices;
}

export type RegistryName = 'area' | 'device' | 'entity' | 'floor' | 'label';

/**
 * Where the upstream link writes what Home Assistant reports. The cache implements it; the link
 * depends only on this interface so the layering stays one-way (upstream does not import cache).
 */
export interface HomeSink {
  state(entityId: string): HassState | undefined;
  config(): HassConfig | undefined;
  /**
   * One upstream `state_changed`, in the order Home Assistant fired it: `next` undefined means
   * the entity was removed. Each call is one change (never merged with another), carrying `event`.
   */
  applyStateChanged(entityId: string, next: HassState | undefined, event: HassEvent): void;
  /** After a (re)connect: make the cache equal to the snapshot, reporting only the differences. */
  replaceAll(snapshot: HomeSnapshot): void;
  setAreas(areas: readonly AreaEntry[]): void;
  setDevices(devices: readonly DeviceEntry[]): void;
  setEntityEntries(entries: readonly EntityEntry[]): void;
  setFloors(floors: readonly FloorEntry[]): void;
  setLabels(labels: readonly LabelEntry[]): void;
  setEntitiesForDisplay(display: EntityDisplayList): void;
  setConfig(config: HassConfig): void;
  setServices(services: HassServices): void;
}
