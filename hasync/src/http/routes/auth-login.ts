import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AttemptLimiter } from '../../pairing/attempt-limiter.ts';
import { isLocalAddress, isValidClientId } from '../../pairing/client-ids.ts';
import type { DeviceService } from '../../pairing/device-service.ts';
import { type FlowStep, LoginFlows, type LoginInput } from '../../pairing/login-flows.ts';
import type { PairingService } from '../../pairing/pairing-service.ts';
import { clientKey } from '../../shared/client-address.ts';
import type { Clock } from '../../shared/clock.ts';
import { HasyncError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import { peerAddress } from '../admin-trust.ts';
import { companionAppRoutes } from './auth-companion-app.ts';
import { authPageRoutes } from './auth-page.ts';
import { authTokenRoutes } from './auth-token.ts';
import { PAIR_ATTEMPTS_PER_MIN } from './pair.ts';

/** The one provider HAsync offers; its type is what HAsync's login page and flows answer to. */
export const PROVIDER_TYPE = 'hasync';
const HANDLER = [PROVIDER_TYPE, null] as const;
/** New login flows per client per minute (each holds a little memory until it expires). */
const FLOWS_PER_MIN = 30;

export interface AuthRoutesDeps {
  readonly log: Logger;
  readonly clock: Clock;
  readonly pairing: PairingService;
  readonly devices: DeviceService;
}

const STATUS_BY_CODE: Record<string, number> = {
  invalid_input: 400,
  forbidden: 403,
  not_found: 404,
  too_many_requests: 429,
};

/**
 * Home Assistant's login endpoints on the device port, answered by HAsync in Home Assistant's
 * shapes (HA: homeassistant/components/auth/login_flow.py, __init__.py), with HAsync's own login
 * page at /auth/authorize. Errors are Home Assistant's `{"message"}` bodies, not HAsync's shape.
 */
export function authRoutes(app: FastifyInstance, deps: AuthRoutesDeps): void {
  const flows = new LoginFlows(deps);
  void app.register(async (auth) => {
    auth.setErrorHandler((err, req, reply) => haError(err as Error, req, reply));
    loginFlowRoutes(auth, deps, flows);
    authTokenRoutes(auth, { ...deps, flows });
    authPageRoutes(auth);
    companionAppRoutes(auth, deps);
  });
}

function haError(err: Error, req: FastifyRequest, reply: FastifyReply): void {
  if (err instanceof HasyncError && STATUS_BY_CODE[err.code] !== undefined) {
    const retryAfter = err.details?.retry_after_s;
    if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
    void reply.status(STATUS_BY_CODE[err.code] ?? 400).send({ message: err.message });
    return;
  }
  const status = (err as { statusCode?: number }).statusCode ?? 500;
  if ((err as { validation?: unknown }).validation) {
    void reply.status(400).send({ message: `Message format incorrect: ${err.message}` });
  } else if (status >= 400 && status < 500) {
    // HA: homeassistant/components/http/data_validator.py — body that is not JSON.
    void reply.status(400).send({ message: 'Invalid JSON.' });
  } else {
    req.log.error({ err }, 'login request failed');
    void reply.status(500).send({ message: 'internal error' });
  }
}

/** A limiter as an onRequest hook: 429 with Retry-After before the body is read. */
export function limitPerClient(limiter: AttemptLimiter, what: string) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const result = limiter.take(clientKey(peerAddress(req)));
    if (result.allowed) return;
    reply.header('retry-after', String(result.retryAfterS));
    throw new HasyncError('too_many_requests', `too many ${what}; wait and try again`);
  };
}

const FLOW_START_SCHEMA = {
  body: {
    type: 'object',
    required: ['client_id', 'handler', 'redirect_uri'],
    properties: {
      client_id: { type: 'string', maxLength: 2048 },
      handler: {
        anyOf: [
          { type: 'string', maxLength: 100 },
          { type: 'array', maxItems: 2, items: { type: ['string', 'null'], maxLength: 100 } },
        ],
      },
      redirect_uri: { type: 'string', maxLength: 2048 },
      type: { type: 'string', maxLength: 100 },
    },
  },
} as const;

const FLOW_STEP_SCHEMA = {
  params: {
    type: 'object',
    required: ['flow_id'],
    properties: { flow_id: { type: 'string', maxLength: 64 } },
  },
  body: {
    type: 'object',
    required: ['client_id'],
    properties: {
      client_id: { type: 'string', maxLength: 2048 },
      pin: { type: 'string', maxLength: 32 },
      code: { type: 'string', maxLength: 256 },
      name: { type: 'string', maxLength: 200 },
    },
  },
} as const;

interface FlowStartBody {
  client_id: string;
  handler: string | (string | null)[];
  redirect_uri: string;
}

type FlowStepBody = LoginInput & { client_id: string };

function loginFlowRoutes(app: FastifyInstance, deps: AuthRoutesDeps, flows: LoginFlows): void {
  const starts = new AttemptLimiter({ max: FLOWS_PER_MIN, windowMs: 60_000 }, deps.clock);
  const steps = new AttemptLimiter({ max: PAIR_ATTEMPTS_PER_MIN, windowMs: 60_000 }, deps.clock);
  app.get('/auth/providers', async (req) => ({
    providers: [{ name: 'HAsync', id: null, type: PROVIDER_TYPE }],
    preselect_remember_me: isLocalAddress(peerAddress(req).replace(/^::ffff:/i, '')),
  }));
  app.get('/auth/login_flow', async (_req, reply) => reply.status(405).send());
  app.post<{ Body: FlowStartBody }>(
    '/auth/login_flow',
    { schema: FLOW_START_SCHEMA, onRequest: limitPerClient(starts, 'login flows') },
    async (req) => {
      const handler = Array.isArray(req.body.handler) ? req.body.handler[0] : req.body.handler;
      if (handler !== PROVIDER_TYPE)
        throw new HasyncError('not_found', 'Invalid handler specified');
      const { client_id, redirect_uri } = req.body;
      if (!isValidClientId(client_id)) throw new HasyncError('invalid_input', 'Invalid client id');
      return flowJson(flows.start(client_id, redirect_uri, peerAddress(req)));
    },
  );
  app.get('/auth/login_flow/:flow_id', async () => {
    throw new HasyncError('not_found', 'Invalid flow specified');
  });
  app.post<{ Params: { flow_id: string }; Body: FlowStepBody }>(
    '/auth/login_flow/:flow_id',
    // The same per-client budget as POST /api/pair: this path is no weaker.
    { schema: FLOW_STEP_SCHEMA, onRequest: limitPerClient(steps, 'login attempts') },
    async (req) => {
      const { client_id, ...input } = req.body;
      if (!isValidClientId(client_id)) throw new HasyncError('invalid_input', 'Invalid client id');
      const step = flows.submit(req.params.flow_id, client_id, input, peerAddress(req));
      if (step.kind === 'form' && step.error === 'invalid_auth') {
        req.log.warn({ flow: 'login' }, 'login with a wrong PIN or code');
      }
      return flowJson(step);
    },
  );
  app.delete<{ Params: { flow_id: string } }>('/auth/login_flow/:flow_id', async (req) => {
    if (!flows.abort(req.params.flow_id)) {
      throw new HasyncError('not_found', 'Invalid flow specified');
    }
    return { message: 'Flow aborted' };
  });
}

/**
 * The form asks for the pairing PIN and an optional device name; a QR code's secret may be sent
 * as `code` instead of `pin` (HAsync's page does when opened from a pair_url).
 * HA: homeassistant/data_entry_flow.py async_show_form / async_create_entry, serialized by
 * components/auth/login_flow.py _prepare_result_json (voluptuous_serialize).
 */
export const LOGIN_DATA_SCHEMA = [
  { type: 'string', name: 'pin', optional: true },
  { type: 'string', name: 'name', optional: true },
] as const;

function flowJson(step: FlowStep): Record<string, unknown> {
  if (step.kind === 'created') {
    return {
      version: 1,
      minor_version: 1,
      type: 'create_entry',
      flow_id: step.flowId,
      handler: HANDLER,
      description: null,
      description_placeholders: null,
      result: step.code,
    };
  }
  return {
    type: 'form',
    flow_id: step.flowId,
    handler: HANDLER,
    step_id: 'init',
    data_schema: LOGIN_DATA_SCHEMA,
    errors: step.error ? { base: step.error } : {},
    description_placeholders: step.reason ? { reason: step.reason } : null,
    last_step: null,
    preview: null,
  };
}
