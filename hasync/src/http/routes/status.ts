import type { FastifyInstance } from 'fastify';
import type { HomeView } from '../../cache/home-view.ts';
import type { Db } from '../../storage/db.ts';
import type { LinkStatusSource } from '../../upstream/link-state.ts';

/** What `GET /api/status` reports on. */
export interface StatusDeps {
  readonly db: Db;
  readonly link: LinkStatusSource;
  readonly home: HomeView;
  /** Devices with an open session right now. */
  readonly onlineDevices: () => number;
  /** Revocations in force that the disk has not taken yet: those devices are gone already. */
  readonly revocations?: { unsavedRevocations(): number };
}

const NULLABLE_STRING = { type: ['string', 'null'] } as const;

const STATUS_SCHEMA = {
  summary: 'Home Assistant link and device counts',
  response: {
    200: {
      type: 'object',
      required: ['ha_version', 'homeassistant', 'entity_count', 'devices', 'last_error'],
      properties: {
        ha_version: NULLABLE_STRING,
        homeassistant: {
          type: 'string',
          enum: ['connected', 'connecting', 'disconnected', 'demo'],
        },
        entity_count: { type: 'integer' },
        devices: {
          type: 'object',
          required: ['total', 'online'],
          properties: { total: { type: 'integer' }, online: { type: 'integer' } },
        },
        last_error: NULLABLE_STRING,
      },
    },
  },
} as const;

/** `GET /api/status`: Home Assistant version and link state, entity count, devices, last upstream error. */
export function statusRoutes(app: FastifyInstance, deps: StatusDeps): void {
  app.get('/api/status', { schema: STATUS_SCHEMA }, async () => {
    const link = deps.link.status();
    const stored = deps.db.get<{ n: number }>('SELECT count(*) AS n FROM devices')?.n ?? 0;
    const total = stored - (deps.revocations?.unsavedRevocations() ?? 0);
    return {
      ha_version: link.haVersion ?? null,
      homeassistant: link.state,
      entity_count: deps.home.states().size,
      devices: { total, online: deps.onlineDevices() },
      last_error: link.lastError ?? null,
    };
  });
}
