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

interface RegistrySpec {
  readonly event: string;
  readonly command: string;
  apply(sink: HomeSink, raw: unknown): void;
}

/** Each registry: the event Home Assistant fires when it changes and the command that lists it. */
const REGISTRIES: Record<RegistryName, RegistrySpec> = {
  area: {
    event: 'area_registry_updated',
    command: 'config/area_registry/list',
    apply: (sink, raw) => sink.setAreas(parseAreas(raw)),
  },
  device: {
    event: 'device_registry_updated',
    command: 'config/device_registry/list',
    apply: (sink, raw) => sink.setDevices(parseDevices(raw)),
  },
  entity: {
    event: 'entity_registry_updated',
    command: 'config/entity_registry/list',
    apply: (sink, raw) => sink.setEntityEntries(parseEntityEntries(raw)),
  },
};

/** Registries, config and services: everything of a snapshot but the states. */
export async function fetchHome(conn: Connection): Promise<Omit<HomeSnapshot, 'states'>> {
  const [areas, devices, entities, config, services] = await Promise.all([
    conn.sendMessagePromise({ type: REGISTRIES.area.command }),
    conn.sendMessagePromise({ type: REGISTRIES.device.command }),
    conn.sendMessagePromise({ type: REGISTRIES.entity.command }),
    conn.sendMessagePromise({ type: 'get_config' }),
    conn.sendMessagePromise({ type: 'get_services' }),
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
 * Keeps the registries current on one connection: on a `*_registry_updated` event the whole
 * registry is listed again (as Home Assistant's frontend does). Refreshes of one registry never
 * overlap; events during a refresh cause exactly one more.
 */
export class RegistryWatcher {
  readonly #conn: Connection;
  readonly #sink: HomeSink;
  readonly #log: Logger;
  readonly #onFailure: (err: unknown) => void;
  readonly #running = new Set<RegistryName>();
  readonly #again = new Set<RegistryName>();
  #closed = false;

  constructor(conn: Connection, sink: HomeSink, log: Logger, onFailure: (err: unknown) => void) {
    this.#conn = conn;
    this.#sink = sink;
    this.#log = log;
    this.#onFailure = onFailure;
  }

  /** Subscribes before the first listing, so no change between listing and subscribing is lost. */
  async subscribe(): Promise<void> {
    await Promise.all(
      (Object.keys(REGISTRIES) as RegistryName[]).map((name) =>
        this.#conn.subscribeMessage(
          () => this.refresh(name),
          { type: 'subscribe_events', event_type: REGISTRIES[name].event },
          { resubscribe: false },
        ),
      ),
    );
  }

  refresh(name: RegistryName): void {
    if (this.#closed) return;
    if (this.#running.has(name)) {
      this.#again.add(name);
      return;
    }
    this.#running.add(name);
    this.#conn.sendMessagePromise({ type: REGISTRIES[name].command }).then(
      (raw) => this.#done(name, raw),
      (err: unknown) => this.#done(name, undefined, err),
    );
  }

  close(): void {
    this.#closed = true;
  }

  #done(name: RegistryName, raw: unknown, err?: unknown): void {
    this.#running.delete(name);
    if (this.#closed) return;
    try {
      if (err !== undefined) throw err;
      REGISTRIES[name].apply(this.#sink, raw);
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
