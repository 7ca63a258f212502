import type { FastifyInstance } from 'fastify';
import type { AuditStore } from '../../storage/audit-store.ts';
import { iso, TIME } from './api-schemas.ts';

export interface AuditRoutesDeps {
  readonly audit: AuditStore;
}

const DEFAULT_LIMIT = 50;

const AUDIT_SCHEMA = {
  summary: 'Audit log, newest first; pass the last id you got as `before` for the next page',
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
    },
  },
  response: {
    200: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'at', 'actor', 'action', 'device_id', 'pairing_id', 'detail'],
        properties: {
          id: { type: 'integer' },
          at: TIME,
          actor: { type: 'string' },
          action: { type: 'string' },
          device_id: { type: ['string', 'null'] },
          pairing_id: { type: ['string', 'null'] },
          detail: { type: 'object', additionalProperties: true },
        },
      },
    },
  },
} as const;

/** `GET /api/audit?limit=&before=`. */
export function auditRoutes(app: FastifyInstance, { audit }: AuditRoutesDeps): void {
  app.get<{ Querystring: { limit?: string; before?: string } }>(
    '/api/audit',
    { schema: AUDIT_SCHEMA },
    async (req) => {
      const limit = req.query.limit === undefined ? DEFAULT_LIMIT : Number(req.query.limit);
      const before = req.query.before === undefined ? undefined : Number(req.query.before);
      return audit.page(limit, before).map((entry) => ({ ...entry, at: iso(entry.at) }));
    },
  );
}
