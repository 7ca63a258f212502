import type { FastifyInstance } from 'fastify';
import type { AuditEntry, AuditStore } from '../../storage/audit-store.ts';
import { iso, TIME } from './api-schemas.ts';

export interface AuditRoutesDeps {
  readonly audit: AuditStore;
  /** The devices paired now, for their current names. */
  readonly devices: { list(): readonly { id: string; name: string }[] };
}

const DEFAULT_LIMIT = 50;

const AUDIT_SCHEMA = {
  summary:
    'Audit log, newest first; pass the last id you got as `before` for the next page, and ' +
    '`device` for one device only (also after it was revoked)',
  tags: ['audit'],
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      // Query values are strings (no type coercion): digits only, parsed below.
      limit: {
        type: 'string',
        pattern: '^([1-9][0-9]{0,1}|[1-4][0-9]{2}|500)$',
        description: '1–500, default 50',
      },
      before: { type: 'string', pattern: '^[1-9][0-9]{0,14}$' },
      device: { type: 'string', minLength: 1, maxLength: 64 },
    },
  },
  response: {
    200: {
      type: 'array',
      items: {
        type: 'object',
        required: [
          'id',
          'at',
          'actor',
          'action',
          'device_id',
          'device_name',
          'pairing_id',
          'detail',
        ],
        properties: {
          id: { type: 'integer' },
          at: TIME,
          actor: { type: 'string' },
          action: { type: 'string' },
          device_id: { type: ['string', 'null'] },
          device_name: {
            type: ['string', 'null'],
            description: "The device's name now, or the last one it had before it was revoked",
          },
          pairing_id: { type: ['string', 'null'] },
          detail: { type: 'object', additionalProperties: true },
        },
      },
    },
  },
} as const;

interface AuditQuery {
  limit?: string;
  before?: string;
  device?: string;
}

/** Names each entry's device: as it is called now, else as the log last knew it. */
function withNames(entries: readonly AuditEntry[], deps: AuditRoutesDeps) {
  const ids = entries.flatMap((entry) => (entry.device_id ? [entry.device_id] : []));
  const names = deps.audit.deviceNames(ids);
  for (const device of deps.devices.list()) names.set(device.id, device.name);
  return entries.map((entry) => ({
    ...entry,
    at: iso(entry.at),
    device_name: entry.device_id ? (names.get(entry.device_id) ?? null) : null,
  }));
}

/** `GET /api/audit?limit=&before=&device=`. */
export function auditRoutes(app: FastifyInstance, deps: AuditRoutesDeps): void {
  app.get<{ Querystring: AuditQuery }>('/api/audit', { schema: AUDIT_SCHEMA }, async (req) => {
    const limit = req.query.limit === undefined ? DEFAULT_LIMIT : Number(req.query.limit);
    const before = req.query.before === undefined ? undefined : Number(req.query.before);
    const { device } = req.query;
    const entries =
      device === undefined
        ? deps.audit.page(limit, before)
        : deps.audit.pageOfDevice(device, limit, before);
    return withNames(entries, deps);
  });
}
