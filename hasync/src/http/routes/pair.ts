import type { FastifyInstance } from 'fastify';
import { AttemptLimiter } from '../../pairing/attempt-limiter.ts';
import type { PairAttempt, PairingService } from '../../pairing/pairing-service.ts';
import { clientKey } from '../../shared/client-address.ts';
import type { Clock } from '../../shared/clock.ts';
import { HasyncError } from '../../shared/errors.ts';
import { peerAddress } from '../admin-trust.ts';
import { NAME } from './api-schemas.ts';

/** Pairing attempts allowed per client address per minute (design section 4). */
export const PAIR_ATTEMPTS_PER_MIN = 10;

export interface PairRoutesDeps {
  readonly pairing: PairingService;
  readonly clock: Clock;
}

const PAIR_SCHEMA = {
  summary: 'Pair this device with a PIN or a QR-code secret; the token is shown only here',
  tags: ['pairing'],
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      pin: { type: 'string', pattern: '^[0-9]{6}$' },
      code: { type: 'string', pattern: '^[A-Za-z0-9_-]{16,128}$' },
      name: NAME,
      type: { type: 'string', pattern: '^[a-z0-9_-]{1,32}$' },
    },
    oneOf: [{ required: ['pin'] }, { required: ['code'] }],
  },
  response: {
    201: {
      type: 'object',
      required: ['device_id', 'token', 'name'],
      properties: {
        device_id: { type: 'string' },
        token: { type: 'string' },
        name: { type: 'string' },
      },
    },
  },
} as const;

/**
 * `POST /api/pair` on the device listener, limited per client (address, IPv6 /64) before anything
 * else; wrong PINs are limited further by the pairing service.
 */
export function pairRoutes(app: FastifyInstance, deps: PairRoutesDeps): void {
  const limiter = new AttemptLimiter({ max: PAIR_ATTEMPTS_PER_MIN, windowMs: 60_000 }, deps.clock);
  app.post<{ Body: PairAttempt }>(
    '/api/pair',
    {
      schema: PAIR_SCHEMA,
      // onRequest runs before body parsing, so malformed attempts count too.
      onRequest: async (req, reply) => {
        const result = limiter.take(clientKey(peerAddress(req)));
        if (result.allowed) return;
        reply.header('retry-after', String(result.retryAfterS));
        throw new HasyncError('too_many_requests', 'too many pairing attempts; wait and try again');
      },
      // Before the schema, whose oneOf would only say "must match exactly one schema in oneOf".
      preValidation: async (req) => checkOneCredential(req.body),
    },
    async (req, reply) => {
      const device = deps.pairing.pair(req.body, peerAddress(req));
      reply.status(201);
      return device;
    },
  );
}

/** A pairing carries exactly one credential: the PIN or the QR code's secret. */
function checkOneCredential(body: unknown): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  const given = ['pin', 'code'].filter((key) => key in body);
  if (given.length === 1) return;
  throw new HasyncError(
    'invalid_input',
    given.length === 0
      ? 'a pin (the 6 digits shown) or a code (from the QR code) is required'
      : 'send either pin or code, not both',
  );
}
