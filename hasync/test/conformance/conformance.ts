import assert from 'node:assert/strict';
import {
  type Connection,
  createConnection,
  createLongLivedTokenAuth,
} from 'home-assistant-js-websocket';
import { waitFor } from '../fakes/demo-home.ts';
import { pairDevice as pairThroughAdmin, patchDevice } from '../helpers/devices.ts';
import { startTestServer, type TestServer } from '../helpers/hasync.ts';
import { RawSocket } from '../helpers/raw-socket.ts';
import { stopUpstream, type Upstream, upstream } from './upstream.ts';

/** Both sides of a differential test: Home Assistant itself and HAsync in front of it. */
export interface Conformance {
  readonly upstream: Upstream;
  readonly server: TestServer;
  /** Pairs a device with this scope through the admin API; returns its token and id. */
  pairDevice(scope: {
    areas?: string[];
    entities?: string[];
    read_only?: boolean;
  }): Promise<{ token: string; device_id: string }>;
  /** Home Assistant's own client connected to the upstream (admin, or the non-admin user). */
  haClient(user?: 'admin' | 'user'): Promise<Connection>;
  /** Home Assistant's own client connected to HAsync's device API with a device token. */
  deviceClient(token: string): Promise<Connection>;
  stop(): Promise<void>;
}

const CACHE_READY_MS = 30_000;

/**
 * Starts the upstream (see upstream.ts) and HAsync in standalone mode against it, and waits until
 * HAsync's cache holds the upstream's states.
 */
export async function startConformance(): Promise<Conformance> {
  const up = await upstream();
  const server = await startTestServer({
    env: { HASYNC_HA_URL: up.url, HASYNC_HA_TOKEN: up.token },
  });
  const connections: Connection[] = [];
  const track = async (conn: Promise<Connection>) => {
    const open = await conn;
    connections.push(open);
    return open;
  };
  await waitFor(
    () => server.hasync.cache.states().size > 20,
    'HAsync to cache the upstream states',
    CACHE_READY_MS,
  );
  return {
    upstream: up,
    server,
    async pairDevice({ read_only, ...scope }) {
      const device = await pairThroughAdmin(server.adminUrl, server.deviceUrl, scope);
      if (read_only !== undefined) {
        const res = await patchDevice(server.adminUrl, device.device_id, { read_only });
        if (res.status !== 200) throw new Error(`read_only not set: ${res.status}`);
      }
      return { token: device.token, device_id: device.device_id };
    },
    haClient: (user = 'admin') =>
      track(
        createConnection({
          auth: createLongLivedTokenAuth(up.url, user === 'admin' ? up.token : up.userToken),
        }),
      ),
    deviceClient: (token) =>
      track(createConnection({ auth: createLongLivedTokenAuth(server.deviceUrl, token) })),
    async stop() {
      for (const conn of connections) conn.close();
      await server.stop();
      await stopUpstream();
    },
  };
}

/** An entity registry entry with the area Home Assistant gives it (its own, else its device's). */
export interface PlacedEntity {
  entity_id: string;
  area_id: string | null;
  device_id: string | null;
  disabled_by: string | null;
  hidden_by: string | null;
  entity_category: string | null;
  /** The entity's area, else its device's. */
  area: string | null;
}

/**
 * Home Assistant's entity registry with each entry's effective area (HA:
 * homeassistant/helpers/service.py async_extract_referenced_entity_ids reads areas the same way).
 */
export async function placedEntities(ha: Connection): Promise<PlacedEntity[]> {
  const [entities, devices] = await Promise.all([
    ha.sendMessagePromise<Omit<PlacedEntity, 'area'>[]>({ type: 'config/entity_registry/list' }),
    ha.sendMessagePromise<{ id: string; area_id: string | null }[]>({
      type: 'config/device_registry/list',
    }),
  ]);
  const deviceArea = new Map(devices.map((d) => [d.id, d.area_id]));
  return entities.map((e) => ({
    ...e,
    area: e.area_id ?? (e.device_id ? (deviceArea.get(e.device_id) ?? null) : null),
  }));
}

/** The enabled entities Home Assistant places in `area` (a disabled entity has no state). */
export async function entitiesInArea(ha: Connection, area: string): Promise<string[]> {
  return (await placedEntities(ha))
    .filter((e) => e.disabled_by === null && e.area === area)
    .map((e) => e.entity_id)
    .sort();
}

type Frame = Record<string, unknown>;

/**
 * Sends the same frames, one at a time, to Home Assistant (as its non-admin user) and to HAsync
 * (as a device scoped to `areas`), and returns each side's answer (the next frame with the id).
 */
export async function bothAnswer(
  c: Conformance,
  frames: Frame[],
  areas: string[] = ['kitchen'],
): Promise<{ ha: Frame; device: Frame }[]> {
  const haSocket = await RawSocket.authenticated(c.upstream.url, c.upstream.userToken);
  const { token } = await c.pairDevice({ areas });
  const deviceSocket = await RawSocket.authenticated(c.server.deviceUrl, token);
  const answers: { ha: Frame; device: Frame }[] = [];
  try {
    for (const frame of frames) {
      haSocket.send(frame);
      deviceSocket.send(frame);
      const id = frame.id ?? null;
      const [ha, device] = await Promise.all([
        haSocket.next((f) => f.id === id && !answers.some((a) => a.ha === f)),
        deviceSocket.next((f) => f.id === id && !answers.some((a) => a.device === f)),
      ]);
      answers.push({ ha, device });
    }
  } finally {
    haSocket.close();
    deviceSocket.close();
  }
  return answers;
}

/** The config keys HAsync blanks for a device (design §5a): coordinates, paths, allow-lists, URLs. */
const REDACTED_CONFIG_KEYS = [
  'latitude',
  'longitude',
  'elevation',
  'radius',
  'config_dir',
  'whitelist_external_dirs',
  'allowlist_external_dirs',
  'allowlist_external_urls',
  'external_url',
  'internal_url',
];

/**
 * A device's config against Home Assistant's answer to its non-admin user: the same keys and value
 * types, every value the same except the redacted ones, and only the integrations of the scope's
 * domains. HA: homeassistant/core.py Config.as_dict
 */
export function assertScopedConfig(
  device: Record<string, unknown>,
  upstream: Record<string, unknown>,
  scope: readonly string[],
): void {
  assert.deepEqual(Object.keys(device).sort(), Object.keys(upstream).sort());
  const domains = new Set([
    ...scope.map((id) => id.slice(0, id.indexOf('.'))),
    'history',
    'logbook',
  ]);
  for (const [key, value] of Object.entries(upstream)) {
    const got = device[key];
    assert.equal(Array.isArray(got), Array.isArray(value), key);
    if (REDACTED_CONFIG_KEYS.includes(key)) {
      assert.ok(
        got === null || got === '' || got === 0 || (Array.isArray(got) && got.length === 0),
        `${key} is blanked`,
      );
    } else if (key === 'components') {
      const expected = (value as string[]).filter((component) => domains.has(component));
      assert.deepEqual(got, expected);
    } else {
      assert.deepEqual(got, value, key);
    }
  }
}
