import type { Connection } from 'home-assistant-js-websocket';
import type { EntityDisplayList } from '../protocol/home-assistant.ts';
import type { HomeSink, HomeSnapshot } from './home-sink.ts';
import {
  parseAreas,
  parseConfig,
  parseDevices,
  parseDisplayList,
  parseEntityEntries,
  parseFloors,
  parseLabels,
  parseServices,
} from './parse.ts';

/** What the link lists from Home Assistant and keeps current after change events. */
export type Listing = 'area' | 'device' | 'entity' | 'floor' | 'label' | 'services' | 'config';

/** Registries change in bursts (HA start-up fires hundreds of updates); services even more so. */
export type RelistPace = 'registry' | 'services';

/** Applies a fetched listing to the sink; fetching and parsing happen before, so it cannot fail. */
type Apply = (sink: HomeSink) => void;

export interface ListingSpec {
  /** Events after which Home Assistant's listing differs. */
  readonly events: readonly string[];
  readonly pace: RelistPace;
  /** Lists it again and parses the answer; rejects on failure. */
  fetch(conn: Connection): Promise<Apply>;
}

const EMPTY_DISPLAY: EntityDisplayList = { entity_categories: {}, entities: [] };

/** Whether Home Assistant refused a command as unknown: an older version that lacks it. */
export function isUnknownCommand(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    (err as { code?: unknown }).code === 'unknown_command'
  );
}

function request(conn: Connection, type: string): Promise<unknown> {
  return conn.sendMessagePromise({ type });
}

/**
 * A command Home Assistant may not have: floors and labels arrived in 2024.4, so 2024.3 answers
 * `unknown_command`. That means "none", not a failure: no error, no retry.
 */
function optional(conn: Connection, type: string, absent: unknown): Promise<unknown> {
  return request(conn, type).catch((err: unknown) => {
    if (isUnknownCommand(err)) return absent;
    throw err;
  });
}

const FLOORS = 'config/floor_registry/list';
const LABELS = 'config/label_registry/list';
const DISPLAY = 'config/entity_registry/list_for_display';

async function fetchEntities(conn: Connection) {
  const [entries, display] = await Promise.all([
    request(conn, 'config/entity_registry/list'),
    optional(conn, DISPLAY, EMPTY_DISPLAY),
  ]);
  return { entities: parseEntityEntries(entries), display: parseDisplayList(display) };
}

/**
 * Each listing: the events Home Assistant fires when it changes and how to list it again.
 * `component_loaded` is not here: it patches the config instead of relisting it (see
 * registry-watcher.ts), as home-assistant-js-websocket's subscribeConfig does.
 */
export const LISTINGS: Readonly<Record<Listing, ListingSpec>> = {
  area: {
    events: ['area_registry_updated'],
    pace: 'registry',
    fetch: async (conn) => {
      const areas = parseAreas(await request(conn, 'config/area_registry/list'));
      return (sink) => sink.setAreas(areas);
    },
  },
  device: {
    events: ['device_registry_updated'],
    pace: 'registry',
    fetch: async (conn) => {
      const devices = parseDevices(await request(conn, 'config/device_registry/list'));
      return (sink) => sink.setDevices(devices);
    },
  },
  entity: {
    // list_for_display is derived from the entity registry: one event refreshes both.
    events: ['entity_registry_updated'],
    pace: 'registry',
    fetch: async (conn) => {
      const { entities, display } = await fetchEntities(conn);
      return (sink) => {
        sink.setEntitiesForDisplay(display);
        sink.setEntityEntries(entities);
      };
    },
  },
  floor: {
    events: ['floor_registry_updated'],
    pace: 'registry',
    fetch: async (conn) => {
      const floors = parseFloors(await optional(conn, FLOORS, []));
      return (sink) => sink.setFloors(floors);
    },
  },
  label: {
    events: ['label_registry_updated'],
    pace: 'registry',
    fetch: async (conn) => {
      const labels = parseLabels(await optional(conn, LABELS, []));
      return (sink) => sink.setLabels(labels);
    },
  },
  // Integrations register services while Home Assistant starts, so these change after connecting.
  services: {
    events: ['service_registered', 'service_removed'],
    pace: 'services',
    fetch: async (conn) => {
      const services = parseServices(await request(conn, 'get_services'));
      return (sink) => sink.setServices(services);
    },
  },
  config: {
    events: ['core_config_updated'],
    pace: 'registry',
    fetch: async (conn) => {
      const config = parseConfig(await request(conn, 'get_config'));
      return (sink) => sink.setConfig(config);
    },
  },
};

/** The listing each event type invalidates. */
export const LISTING_OF_EVENT: ReadonlyMap<string, Listing> = new Map(
  (Object.entries(LISTINGS) as [Listing, ListingSpec][]).flatMap(([name, spec]) =>
    spec.events.map((eventType) => [eventType, name] as const),
  ),
);

/** Registries, config and services: everything of a snapshot but the states. */
export async function fetchHome(conn: Connection): Promise<Omit<HomeSnapshot, 'states'>> {
  const [areas, devices, entities, floors, labels, config, services] = await Promise.all([
    request(conn, 'config/area_registry/list'),
    request(conn, 'config/device_registry/list'),
    fetchEntities(conn),
    optional(conn, FLOORS, []),
    optional(conn, LABELS, []),
    request(conn, 'get_config'),
    request(conn, 'get_services'),
  ]);
  return {
    areas: parseAreas(areas),
    devices: parseDevices(devices),
    ...entities,
    floors: parseFloors(floors),
    labels: parseLabels(labels),
    config: parseConfig(config),
    services: parseServices(services),
  };
}
