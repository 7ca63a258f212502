import type { HomeView } from '../../src/cache/home-view.ts';
import type {
  AreaEntry,
  DeviceEntry,
  EntityEntry,
  HassService,
  HassServices,
  HassState,
} from '../../src/protocol/home-assistant.ts';

const entityService = (domain: string, fields: HassService['fields'] = {}): HassService => ({
  fields,
  target: { entity: [{ domain: [domain] }] },
});
const onOff = (domain: string, fields: HassService['fields'] = {}) => ({
  turn_on: entityService(domain, fields),
  turn_off: entityService(domain),
  toggle: entityService(domain, fields),
});

/**
 * Service descriptions as Home Assistant 2024.3.3's `get_services` gives them (read off a running
 * Home Assistant): entity services carry a `target`, the others do not.
 */
export const TEST_SERVICES: HassServices = {
  homeassistant: {
    turn_on: { fields: {}, target: { entity: [{}] } },
    turn_off: { fields: {}, target: { entity: [{}] } },
    toggle: { fields: {}, target: { entity: [{}] } },
    restart: { fields: {} },
    update_entity: { fields: {}, target: { entity: [{}] } },
  },
  light: onOff('light', {
    brightness: { selector: { number: { min: 0, max: 255 } } },
    rgb_color: { selector: { color_rgb: {} } },
    effect: { selector: { text: {} } },
  }),
  switch: onOff('switch'),
  lock: {
    lock: entityService('lock', { code: { selector: { text: {} } } }),
    unlock: entityService('lock', { code: { selector: { text: {} } } }),
  },
  sensor: {},
  script: { turn_on: entityService('script'), morning: { fields: {} } },
  scene: { turn_on: entityService('scene') },
  notify: { notify: { fields: { message: { selector: { text: {} } } } } },
  media_player: {
    join: {
      fields: { group_members: { selector: { entity: { multiple: true } } } },
      target: { entity: [{ domain: ['media_player'], supported_features: [524288] }] },
    },
  },
  tts: {
    speak: entityService('tts', {
      media_player_entity_id: { selector: { entity: {} } },
      message: { selector: { text: {} } },
    }),
  },
  automation: {
    trigger: entityService('automation', { skip_condition: { selector: { boolean: {} } } }),
  },
  recorder: { purge_entities: { fields: {}, target: { entity: [{}] } } },
};

/** Plain data for pure-function tests: entity id → its area and/or device. */
export interface HomeSketch {
  areas: string[];
  devices: Record<string, { area: string | null; labels?: string[] }>;
  entities: Record<
    string,
    {
      area?: string;
      device?: string;
      registered?: boolean;
      labels?: string[];
      hidden?: boolean;
      category?: 'config' | 'diagnostic';
    }
  >;
  /** Floor id → the areas on it. */
  floors?: Record<string, string[]>;
  /** Area id → its labels. */
  areaLabels?: Record<string, string[]>;
  /** Service descriptions (default: TEST_SERVICES). */
  services?: HassServices;
  /** Attributes by entity id (default: none). */
  attributes?: Record<string, Record<string, unknown>>;
}

/** A fixed HomeView built from a sketch, for unit tests of the pure scope rules. */
export function staticHome(sketch: HomeSketch): HomeView {
  const now = new Date(0).toISOString();
  const areas = new Map<string, AreaEntry>(
    sketch.areas.map((id) => [
      id,
      {
        area_id: id,
        name: id,
        icon: null,
        floor_id:
          Object.entries(sketch.floors ?? {}).find(([, areas]) => areas.includes(id))?.[0] ?? null,
        aliases: [],
        picture: null,
        labels: sketch.areaLabels?.[id] ?? [],
      },
    ]),
  );
  const devices = new Map<string, DeviceEntry>(
    Object.entries(sketch.devices).map(([id, d]) => [
      id,
      {
        id,
        name: id,
        name_by_user: null,
        area_id: d.area,
        manufacturer: null,
        model: null,
        disabled_by: null,
        labels: d.labels ?? [],
      },
    ]),
  );
  const states = new Map<string, HassState>();
  const entries = new Map<string, EntityEntry>();
  for (const [entityId, e] of Object.entries(sketch.entities)) {
    states.set(entityId, {
      entity_id: entityId,
      state: 'on',
      attributes: sketch.attributes?.[entityId] ?? {},
      last_changed: now,
      last_updated: now,
      context: { id: 'c', parent_id: null, user_id: null },
    });
    if (e.registered === false) continue;
    entries.set(entityId, {
      entity_id: entityId,
      id: entityId,
      name: null,
      original_name: null,
      icon: null,
      platform: 'demo',
      area_id: e.area ?? null,
      device_id: e.device ?? null,
      disabled_by: null,
      hidden_by: e.hidden ? 'user' : null,
      entity_category: e.category ?? null,
      labels: e.labels ?? [],
    });
  }
  return {
    state: (id) => states.get(id),
    states: () => states,
    areas: () => areas,
    devices: () => devices,
    entityEntries: () => entries,
    floors: () =>
      new Map(
        Object.keys(sketch.floors ?? {}).map((id) => [
          id,
          { floor_id: id, name: id, level: null, icon: null, aliases: [] },
        ]),
      ),
    labels: () => new Map(),
    entitiesForDisplay: () => undefined,
    config: () => undefined,
    services: () => sketch.services ?? TEST_SERVICES,
  };
}
