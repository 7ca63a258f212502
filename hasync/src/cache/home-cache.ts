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
import type { EventBus } from '../shared/bus.ts';
import type { HasyncEvents, StateChange } from '../shared/events.ts';
import type { Module } from '../shared/module.ts';
import type { HomeSink, HomeSnapshot, RegistryName } from '../upstream/home-sink.ts';
import type { HomeView } from './home-view.ts';
import { diffStates, sameEntries } from './state-diff.ts';

export interface HomeCacheDeps {
  readonly bus: EventBus<HasyncEvents>;
}

function keyed<T>(list: readonly T[], key: (entry: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const entry of list) map.set(key(entry), entry);
  return map;
}

/**
 * The home as Home Assistant last reported it. State objects are never edited: a change replaces
 * the map entry, so a reader holding a state keeps a consistent value. State changes are applied
 * at once but announced in batches, one `states_changed` per event-loop turn, so a burst of
 * upstream messages costs listeners one call; a batch lists every change in order, never merging
 * two changes of one entity (devices see each state Home Assistant reported).
 */
export class HomeCache implements HomeView, HomeSink, Module {
  readonly name = 'cache';
  readonly #bus: EventBus<HasyncEvents>;
  #states = new Map<string, HassState>();
  #areas = new Map<string, AreaEntry>();
  #devices = new Map<string, DeviceEntry>();
  #entities = new Map<string, EntityEntry>();
  #floors = new Map<string, FloorEntry>();
  #labels = new Map<string, LabelEntry>();
  #display: EntityDisplayList | undefined;
  #config: HassConfig | undefined;
  #services: HassServices = {};
  /** Changes since the last announcement, in the order they happened. */
  #pending: StateChange[] = [];
  #timer: NodeJS.Immediate | undefined;

  constructor(deps: HomeCacheDeps) {
    this.#bus = deps.bus;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {
    this.flush();
  }

  state(entityId: string): HassState | undefined {
    return this.#states.get(entityId);
  }

  states(): ReadonlyMap<string, HassState> {
    return this.#states;
  }

  areas(): ReadonlyMap<string, AreaEntry> {
    return this.#areas;
  }

  devices(): ReadonlyMap<string, DeviceEntry> {
    return this.#devices;
  }

  entityEntries(): ReadonlyMap<string, EntityEntry> {
    return this.#entities;
  }

  floors(): ReadonlyMap<string, FloorEntry> {
    return this.#floors;
  }

  labels(): ReadonlyMap<string, LabelEntry> {
    return this.#labels;
  }

  entitiesForDisplay(): EntityDisplayList | undefined {
    return this.#display;
  }

  config(): HassConfig | undefined {
    return this.#config;
  }

  services(): HassServices {
    return this.#services;
  }

  applyStateChanged(entityId: string, next: HassState | undefined, event: HassEvent): void {
    const old = this.#states.get(entityId);
    if (!old && !next) return;
    if (next) this.#states.set(entityId, next);
    else this.#states.delete(entityId);
    this.#pending.push({ entity_id: entityId, old, new: next, event });
    this.#timer ??= setImmediate(() => this.flush());
  }

  /** Announces pending state changes now (tests and shutdown use it; normally it runs by itself). */
  flush(): void {
    if (this.#timer) clearImmediate(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    const changes = this.#pending;
    this.#pending = [];
    this.#bus.emit('states_changed', { changes });
  }

  replaceAll(snapshot: HomeSnapshot): void {
    this.flush();
    const states = keyed(snapshot.states, (s) => s.entity_id);
    const changes = diffStates(this.#states, states);
    this.#states = states;
    this.#config = snapshot.config;
    this.#services = snapshot.services;
    this.#display = snapshot.display;
    const changed = [
      this.#replaceAreas(snapshot.areas),
      this.#replaceDevices(snapshot.devices),
      this.#replaceEntities(snapshot.entities),
      this.#replaceFloors(snapshot.floors),
      this.#replaceLabels(snapshot.labels),
    ].filter((name): name is RegistryName => name !== undefined);
    for (const registry of changed) this.#bus.emit('registry_changed', { registry });
    if (changes.length > 0) this.#bus.emit('states_changed', { changes });
  }

  setAreas(areas: readonly AreaEntry[]): void {
    this.#announce(this.#replaceAreas(areas));
  }

  setDevices(devices: readonly DeviceEntry[]): void {
    this.#announce(this.#replaceDevices(devices));
  }

  setEntityEntries(entries: readonly EntityEntry[]): void {
    this.#announce(this.#replaceEntities(entries));
  }

  setFloors(floors: readonly FloorEntry[]): void {
    this.#announce(this.#replaceFloors(floors));
  }

  setLabels(labels: readonly LabelEntry[]): void {
    this.#announce(this.#replaceLabels(labels));
  }

  setEntitiesForDisplay(display: EntityDisplayList): void {
    this.#display = display;
  }

  setConfig(config: HassConfig): void {
    this.#config = config;
  }

  setServices(services: HassServices): void {
    this.#services = services;
  }

  #announce(registry: RegistryName | undefined): void {
    if (registry) this.#bus.emit('registry_changed', { registry });
  }

  #replaceAreas(list: readonly AreaEntry[]): RegistryName | undefined {
    const next = keyed(list, (a) => a.area_id);
    if (sameEntries(this.#areas, next)) return undefined;
    this.#areas = next;
    return 'area';
  }

  #replaceDevices(list: readonly DeviceEntry[]): RegistryName | undefined {
    const next = keyed(list, (d) => d.id);
    if (sameEntries(this.#devices, next)) return undefined;
    this.#devices = next;
    return 'device';
  }

  #replaceFloors(list: readonly FloorEntry[]): RegistryName | undefined {
    const next = keyed(list, (f) => f.floor_id);
    if (sameEntries(this.#floors, next)) return undefined;
    this.#floors = next;
    return 'floor';
  }

  #replaceLabels(list: readonly LabelEntry[]): RegistryName | undefined {
    const next = keyed(list, (l) => l.label_id);
    if (sameEntries(this.#labels, next)) return undefined;
    this.#labels = next;
    return 'label';
  }

  #replaceEntities(list: readonly EntityEntry[]): RegistryName | undefined {
    const next = keyed(list, (e) => e.entity_id);
    if (sameEntries(this.#entities, next)) return undefined;
    this.#entities = next;
    return 'entity';
  }
}
