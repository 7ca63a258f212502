import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../shared/clock.ts';
import { VERSION } from '../../shared/version.ts';
import type { Db } from '../../storage/db.ts';
import type { LinkStatusSource } from '../../upstream/link-state.ts';

export interface HealthDeps {
  readonly db: Db;
  readonly link: LinkStatusSource;
  readonly clock: Clock;
  readonly startedAt: number;
}

const HEALTH_SCHEMA = {
  summary: 'Liveness and readiness',
  response: {
    '2xx': { $ref: 'Health#' },
    503: { $ref: 'Health#' },
  },
} as const;

const HEALTH_BODY = {
  $id: 'Health',
  type: 'object',
  required: ['status', 'version', 'uptime_s', 'db', 'homeassistant'],
  properties: {
    status: { type: 'string', enum: ['ok', 'error'] },
    version: { type: 'string' },
    uptime_s: { type: 'integer' },
    db: { type: 'string', enum: ['ok', 'error'] },
    homeassistant: { type: 'string', enum: ['connected', 'connecting', 'disconnected', 'demo'] },
  },
} as const;

/** `GET /api/health` and `GET /health`: 200 when the database answers, else 503. */
export function healthRoutes(app: FastifyInstance, deps: HealthDeps): void {
  app.addSchema(HEALTH_BODY);
  const handler = async (_req: unknown, reply: { status(code: number): unknown }) => {
    const dbOk = deps.db.isHealthy();
    reply.status(dbOk ? 200 : 503);
    return {
      status: dbOk ? 'ok' : 'error',
      version: VERSION,
      uptime_s: Math.floor((deps.clock.now() - deps.startedAt) / 1000),
      db: dbOk ? 'ok' : 'error',
      homeassistant: deps.link.status().state,
    };
  };
  app.get('/api/health', { schema: HEALTH_SCHEMA }, handler);
  app.get('/health', { schema: { ...HEALTH_SCHEMA, hide: true } }, handler);
}
