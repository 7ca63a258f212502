import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AttemptLimiter } from '../../pairing/attempt-limiter.ts';
import { isValidClientId } from '../../pairing/client-ids.ts';
import type { DeviceService } from '../../pairing/device-service.ts';
import type { LoginFlows } from '../../pairing/login-flows.ts';
import type { Clock } from '../../shared/clock.ts';
import { limitPerClient } from './auth-login.ts';

/** Token requests per client per minute: a code is a 256-bit secret, this only bounds the work. */
const TOKEN_REQUESTS_PER_MIN = 60;
const FORM_BODY_LIMIT = 8 * 1024;

export interface AuthTokenDeps {
  readonly clock: Clock;
  readonly devices: DeviceService;
  readonly flows: LoginFlows;
}

type Form = Record<string, string | undefined>;

/** HA: components/auth/__init__.py TokenView — tokens are never cached. */
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

function oauthError(reply: FastifyReply, error: string, description?: string): FastifyReply {
  return reply
    .status(400)
    .send(description === undefined ? { error } : { error, error_description: description });
}

/**
 * `POST /auth/token` (authorization_code and refresh_token grants) and `POST /auth/revoke`, form
 * encoded, in Home Assistant's shapes and statuses (components/auth/__init__.py TokenView,
 * RevokeTokenView).
 */
export function authTokenRoutes(app: FastifyInstance, deps: AuthTokenDeps): void {
  const limiter = new AttemptLimiter({ max: TOKEN_REQUESTS_PER_MIN, windowMs: 60_000 }, deps.clock);
  const limit = limitPerClient(limiter, 'token requests');
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT },
    (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  // Home Assistant's own client (home-assistant-js-websocket auth.ts) posts FormData: multipart.
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: FORM_BODY_LIMIT },
    async (req: FastifyRequest, body: Buffer) => parseMultipart(req, body),
  );
  app.post<{ Body: Form | undefined }>('/auth/token', { onRequest: limit }, async (req, reply) => {
    const form = formOf(req.body);
    if (form.action === 'revoke') return revoke(deps, form, reply);
    if (form.grant_type === 'authorization_code') return exchangeCode(deps, form, reply);
    if (form.grant_type === 'refresh_token') return refresh(deps, form, reply);
    return oauthError(reply, 'unsupported_grant_type');
  });
  app.post<{ Body: Form | undefined }>('/auth/revoke', { onRequest: limit }, async (req, reply) =>
    revoke(deps, formOf(req.body), reply),
  );
}

/** The text fields of a multipart body, parsed by the platform's own FormData parser. */
async function parseMultipart(req: FastifyRequest, body: Buffer): Promise<Form> {
  const contentType = String(req.headers['content-type']);
  try {
    const data = await new Response(body, { headers: { 'content-type': contentType } }).formData();
    const form: Form = {};
    for (const [key, value] of data) if (typeof value === 'string') form[key] = value;
    return form;
  } catch {
    return {};
  }
}

function formOf(body: unknown): Form {
  return body !== null && typeof body === 'object' ? (body as Form) : {};
}

function exchangeCode(deps: AuthTokenDeps, form: Form, reply: FastifyReply): FastifyReply {
  const clientId = form.client_id;
  if (clientId === undefined || !isValidClientId(clientId)) {
    return oauthError(reply, 'invalid_request', 'Invalid client id');
  }
  const issued = form.code === undefined ? undefined : deps.flows.exchange(clientId, form.code);
  if (!issued) return oauthError(reply, 'invalid_request', 'Invalid code');
  return reply.headers(NO_STORE).send({
    access_token: issued.access_token,
    token_type: 'Bearer',
    refresh_token: issued.refresh_token,
    expires_in: issued.expires_in,
    ha_auth_provider: 'hasync',
  });
}

function refresh(deps: AuthTokenDeps, form: Form, reply: FastifyReply): FastifyReply {
  const clientId = form.client_id;
  if (clientId !== undefined && !isValidClientId(clientId)) {
    return oauthError(reply, 'invalid_request', 'Invalid client id');
  }
  if (form.refresh_token === undefined) return oauthError(reply, 'invalid_request');
  const outcome = deps.devices.refreshLogin(form.refresh_token, clientId);
  if (!outcome.ok) return oauthError(reply, outcome.error);
  return reply.headers(NO_STORE).send({
    access_token: outcome.access_token,
    token_type: 'Bearer',
    expires_in: outcome.expires_in,
  });
}

/** RFC 7009 2.2: 200 whether or not the token was known. */
function revoke(deps: AuthTokenDeps, form: Form, reply: FastifyReply): FastifyReply {
  if (form.token !== undefined) deps.devices.revokeLogin(form.token, 'device (log out)');
  return reply.status(200).type('text/plain').send('');
}
