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
  /** Revocations in force that the disk has not taken yet. */
  readonly revocations?: { unsavedRevocations(): number };
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
    /** Why the database is not ok (unreadable, or writes failing: full or read-only disk). */
    reason: { type: 'string' },
  },
} as const;

/**
 * How long the database's answer to a read stands for health. A flood of health checks reads it
 * once per window instead of once per request (a read transaction in SQLite was a fifth of the
 * CPU of a health answer under load); a database that stops answering is reported within the
 * window, a closed one at once, and one that does not answer is asked again on every request.
 */
export const DB_ANSWER_MS = 1000;

/** Whether the database answers, asked of it at most once per DB_ANSWER_MS while it does. */
function databaseAnswers(db: Db, clock: Clock): () => boolean {
  let answeredAt = Number.NEGATIVE_INFINITY;
  return () => {
    if (db.closed) return false;
    const now = clock.now();
    if (now - answeredAt < DB_ANSWER_MS) return true;
    if (!db.isHealthy()) return false;
    answeredAt = now;
    return true;
  };
}

/** What is wrong with storage, in words for the admin; undefined when nothing is. */
function storageProblem(
  deps: Pick<HealthDeps, 'db' | 'revocations'>,
  answers: () => boolean,
): string | undefined {
  if (!answers()) return 'the database does not answer';
  const write = deps.db.writeProblem();
  const unsaved = deps.revocations?.unsavedRevocations() ?? 0;
  if (!write && unsaved === 0) return undefined;
  const problems: string[] = [];
  if (write) {
    const since = new Date(write.since).toISOString();
    problems.push(`the database cannot be written since ${since} (${write.reason})`);
  }
  if (unsaved > 0) {
    const what = unsaved === 1 ? 'revocation is' : 'revocations are';
    problems.push(`${unsaved} ${what} in force but not saved yet (retrying)`);
  }
  return problems.join('; ');
}

/**
 * `GET /api/health` and `GET /health`: 200 when the database answers and takes writes, else 503
 * with the reason (the reason only where `reasons` is set: the admin listener, not the devices').
 * `GET /api/live`: 200 while the process serves at all — the Supervisor's watchdog asks this, so a
 * full disk is reported without the app being restarted and losing revocations not yet saved.
 */
export function healthRoutes(
  app: FastifyInstance,
  deps: HealthDeps,
  options: { reasons: boolean } = { reasons: true },
): void {
  app.addSchema(HEALTH_BODY);
  const answers = databaseAnswers(deps.db, deps.clock);
  const handler = async (_req: unknown, reply: { status(code: number): unknown }) => {
    const problem = storageProblem(deps, answers);
    reply.status(problem ? 503 : 200);
    return {
      status: problem ? 'error' : 'ok',
      version: VERSION,
      uptime_s: Math.floor((deps.clock.now() - deps.startedAt) / 1000),
      db: problem ? 'error' : 'ok',
      homeassistant: deps.link.status().state,
      ...(problem && options.reasons ? { reason: problem } : {}),
    };
  };
  app.get('/api/live', { schema: { summary: 'Liveness only', hide: true } }, async () => ({
    status: 'ok',
  }));
  app.get('/api/health', { schema: HEALTH_SCHEMA }, handler);
  app.get('/health', { schema: { ...HEALTH_SCHEMA, hide: true } }, handler);
}
