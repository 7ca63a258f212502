import type { Connection } from 'home-assistant-js-websocket';
import type { Logger } from '../shared/logger.ts';
import type { HomeSink, HomeSnapshot, RegistryName } from './home-sink.ts';
import {
  parseAreas,
  parseConfig,
  parseDevices,
  parseEntityEntries,
  parseServices,
} from './parse.ts';
import { toHasyncError } from './upstream-errors.ts';

/** What the watcher keeps current: the three registries, plus services and config. */
type Listing = RegistryName | 'services' | 'config';

interface ListingSpec {
  /** Events after which Home Assistant's listing differs. */
  readonly events: readonly string[];
  readonly command: string;
  apply(sink: HomeSink, raw: unknown): void;
}

/** Each listing: the events Home Assistant fires when it changes and the command that lists it. */
const LISTINGS: Record<Listing, ListingSpec> = {
  area: {
    events: ['area_registry_updated'],
    command: 'config/area_registry/list',
    apply: (sink, raw) => sink.setAreas(parseAreas(raw)),
  },
  device: {
    events: ['device_registry_updated'],
    command: 'config/device_registry/list',
    apply: (sink, raw) => sink.setDevices(parseDevices(raw)),
  },
  entity: {
    events: ['entity_registry_updated'],
    command: 'config/entity_registry/list',
    apply: (sink, raw) => sink.setEntityEntries(parseEntityEntries(raw)),
  },
  // Integrations register services while Home Assistant starts, so these change after connecting.
  services: {
    events: ['service_registered', 'service_removed'],
    command: 'get_services',
    apply: (sink, raw) => sink.setServices(parseServices(raw)),
  },
  config: {
    events: ['core_config_updated'],
    command: 'get_config',
    apply: (sink, raw) => sink.setConfig(parseConfig(raw)),
  },
};

/** Registries, config and services: everything of a snapshot but the states. */
export async function fetchHome(conn: Connection): Promise<Omit<HomeSnapshot, 'states'>> {
  const [areas, devices, entities, config, services] = await Promise.all([
    conn.sendMessagePromise({ type: LISTINGS.area.command }),
    conn.sendMessagePromise({ type: LISTINGS.device.command }),
    conn.sendMessagePromise({ type: LISTINGS.entity.command }),
    conn.sendMessagePromise({ type: LISTINGS.config.command }),
    conn.sendMessagePromise({ type: LISTINGS.services.command }),
  ]);
  return {
    areas: parseAreas(areas),
    devices: parseDevices(devices),
    entities: parseEntityEntries(entities),
    config: parseConfig(config),
    services: parseServices(services),
  };
}

/**
 * Keeps registries, services and config current on one connection: after an event saying one
 * changed (`*_registry_updated`, `service_registered`, …) it is listed again in full, as Home
 * Assistant's frontend does. Refreshes of one listing never overlap; events during a refresh
 * cause exactly one more.
 */
export class RegistryWatcher {
  readonly #conn: Connection;
  readonly #sink: HomeSink;
  readonly #log: Logger;
  readonly #onFailure: (err: unknown) => void;
  readonly #running = new Set<Listing>();
  readonly #again = new Set<Listing>();
  #closed = false;

  constructor(conn: Connection, sink: HomeSink, log: Logger, onFailure: (err: unknown) => void) {
    this.#conn = conn;
    this.#sink = sink;
    this.#log = log;
    this.#onFailure = onFailure;
  }

  /** Subscribes before the first listing, so no change between listing and subscribing is lost. */
  async subscribe(): Promise<void> {
    const subscriptions: Promise<unknown>[] = [];
    for (const [name, spec] of Object.entries(LISTINGS) as [Listing, ListingSpec][]) {
      for (const eventType of spec.events) {
        const message = { type: 'subscribe_events', event_type: eventType };
        const refresh = () => this.refresh(name);
        subscriptions.push(this.#conn.subscribeMessage(refresh, message, { resubscribe: false }));
      }
    }
    await Promise.all(subscriptions);
  }

  refresh(name: Listing): void {
    if (this.#closed) return;
    if (this.#running.has(name)) {
      this.#again.add(name);
      return;
    }
    this.#running.add(name);
    this.#conn.sendMessagePromise({ type: LISTINGS[name].command }).then(
      (raw) => this.#done(name, raw),
      (err: unknown) => this.#done(name, undefined, err),
    );
  }

  close(): void {
    this.#closed = true;
  }

  #done(name: Listing, raw: unknown, err?: unknown): void {
    this.#running.delete(name);
    if (this.#closed) return;
    try {
      if (err !== undefined) throw err;
      LISTINGS[name].apply(this.#sink, raw);
    } catch (failure) {
      this.#log.warn(
        { registry: name, reason: toHasyncError(failure).message },
        'registry refresh failed',
      );
      this.#onFailure(failure);
      return;
    }
    if (this.#again.delete(name)) this.refresh(name);
  }
}
