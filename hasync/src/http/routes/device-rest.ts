import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { denialRecorder } from '../../access/denials.ts';
import { performCall, type ServiceCaller } from '../../access/device-calls.ts';
import type { PictureTokens } from '../../access/picture-tokens.ts';
import { sensitiveCallRecorder } from '../../access/sensitive-calls.ts';
import type { HomeView } from '../../cache/home-view.ts';
import type { DeviceService } from '../../pairing/device-service.ts';
import type { HassState } from '../../protocol/home-assistant.ts';
import { redactConfig } from '../../scope/redact-config.ts';
import { deviceScope, scopeState } from '../../scope/scoped-state.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import type { AuditStore } from '../../storage/audit-store.ts';
import type { DeviceRecord } from '../../storage/device-store.ts';
import { imageProxyRoutes } from './image-proxy.ts';

export interface DeviceRestDeps {
  readonly log: Logger;
  /** Tokens of the picture URLs devices get, and Home Assistant's HTTP API behind the proxies. */
  readonly pictures: PictureTokens;
  fetchHttp(path: string, signal?: AbortSignal): Promise<Response>;
  readonly home: HomeView;
  readonly devices: DeviceService;
  readonly caller: ServiceCaller;
  readonly audit: AuditStore;
  readonly clock: Clock;
}

declare module 'fastify' {
  interface FastifyRequest {
    device?: DeviceRecord;
  }
}

/** aiohttp's plain-text bodies, which Home Assistant's views answer with for these statuses. */
const PLAIN: Record<number, string> = {
  400: '400: Bad Request',
  401: '401: Unauthorized',
  404: '404: Not Found',
  500: '500 Internal Server Error\n\nServer got itself in trouble',
};

function plain(reply: FastifyReply, status: 400 | 401 | 404 | 500) {
  return reply.status(status).type('text/plain; charset=utf-8').send(PLAIN[status]);
}

/** HA: homeassistant/components/http/view.py json_message */
function message(reply: FastifyReply, status: number, text: string) {
  return reply.status(status).send({ message: text });
}

function tokenOf(req: FastifyRequest): string {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice(7).trim() : '';
}

/**
 * Home Assistant's REST API for devices, answering as Home Assistant answers a non-admin user
 * (HA: homeassistant/components/api/__init__.py): `/api/`, `/api/config`, `/api/states`,
 * `/api/states/<entity_id>` and `POST /api/services/<domain>/<service>`, all scoped. Statuses and
 * bodies are Home Assistant's; an entity outside the scope is 401, whether it exists or not.
 */
export function deviceRestRoutes(app: FastifyInstance, deps: DeviceRestDeps): void {
  const scopeOf = (device: DeviceRecord) => deviceScope(device, deps.home);
  const view = (state: HassState, scope: ReadonlySet<string>, device: DeviceRecord) =>
    scopeState(state, scope, deps.pictures.rewriterFor(device.id));
  imageProxyRoutes(app, { ...deps, scopeOf });
  // An /api path Home Assistant does not serve: aiohttp's 404, before any token is looked at.
  app.all('/api/*', async (_req, reply) => plain(reply, 404));
  // `/api` without the slash is no route of Home Assistant's either.
  app.all('/api', async (_req, reply) => plain(reply, 404));
  void app.register(async (api) => {
    // HA: homeassistant/components/http/view.py json — `application/json`, no charset.
    api.addHook('onSend', async (_req, reply, payload) => {
      if (String(reply.getHeader('content-type')).startsWith('application/json'))
        reply.header('content-type', 'application/json');
      return payload;
    });
    // Home Assistant reads the body itself and answers bad JSON with its own message.
    api.removeAllContentTypeParsers();
    api.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    api.addHook('onRequest', async (req, reply) => {
      const token = tokenOf(req);
      const device = token ? deps.devices.authenticate(token) : undefined;
      if (!device) return plain(reply, 401);
      // Outside its schedule a device sees nothing and does nothing; the reason says when it may.
      const access = deps.devices.access(device);
      if (!access.ok) return message(reply, 403, access.reason);
      req.device = device;
    });
    api.get('/api/', async () => ({ message: 'API running.' }));
    api.get('/api/config', async (req) => {
      const config = deps.home.config();
      return config ? redactConfig(config, scopeOf(req.device as DeviceRecord)) : {};
    });
    api.get('/api/states', async (req) => {
      const scope = scopeOf(req.device as DeviceRecord);
      return [...scope].flatMap((id) => {
        const state = deps.home.state(id);
        return state ? [view(state, scope, req.device as DeviceRecord)] : [];
      });
    });
    api.get<{ Params: { entity_id: string } }>('/api/states/:entity_id', async (req, reply) => {
      const id = req.params.entity_id;
      const scope = scopeOf(req.device as DeviceRecord);
      if (!scope.has(id)) return plain(reply, 401);
      const state = deps.home.state(id);
      return state
        ? view(state, scope, req.device as DeviceRecord)
        : message(reply, 404, 'Entity not found.');
    });
    api.post<{ Params: { domain: string; service: string }; Querystring: Record<string, string> }>(
      '/api/services/:domain/:service',
      (req, reply) => callService(deps, scopeOf(req.device as DeviceRecord), req, reply),
    );
  });
}

/** Python's truth value of a JSON value: empty strings, arrays and objects are false too. */
function pythonTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}

/**
 * HA reads the body with `json_loads` (not JSON: its own message), then core.py `async_call`
 * takes `service_data or {}` and the service schema refuses anything but an object (400).
 */
function parseBody(body: unknown): { data: Record<string, unknown> } | 'invalid-json' | 'bad' {
  if (typeof body !== 'string' || body === '') return { data: {} };
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return 'invalid-json';
  }
  if (!pythonTruthy(data)) return { data: {} };
  return typeof data === 'object' && data !== null && !Array.isArray(data)
    ? { data: data as Record<string, unknown> }
    : 'bad';
}

/** The scoped states that changed with this call's context (Home Assistant's reply body). */
function changedStates(
  deps: DeviceRestDeps,
  scope: ReadonlySet<string>,
  deviceId: string,
  result: unknown,
): HassState[] {
  const contextId = (result as { context?: { id?: unknown } } | null)?.context?.id;
  if (typeof contextId !== 'string') return [];
  return [...scope].flatMap((id) => {
    const state = deps.home.state(id);
    if (!state || state.context.id !== contextId) return [];
    return [scopeState(state, scope, deps.pictures.rewriterFor(deviceId))];
  });
}

/** HA: homeassistant/components/api/__init__.py APIDomainServicesView.post */
async function callService(
  deps: DeviceRestDeps,
  scope: ReadonlySet<string>,
  req: FastifyRequest<{
    Params: { domain: string; service: string };
    Querystring: Record<string, string>;
  }>,
  reply: FastifyReply,
) {
  const parsed = parseBody(req.body);
  if (parsed === 'invalid-json') return message(reply, 400, 'Data should be valid JSON.');
  if (parsed === 'bad') return plain(reply, 400);
  const device = req.device as DeviceRecord;
  // Home Assistant 2024.8+ answers `?return_response` with the service's response beside the states.
  const returnResponse = req.query.return_response !== undefined;
  const outcome = await performCall(
    {
      device,
      scope,
      home: deps.home,
      caller: deps.caller,
      pins: deps.devices.actionPins,
      denied: denialRecorder(deps, device.id),
      performed: sensitiveCallRecorder(deps, device),
    },
    { ...req.params, serviceData: parsed.data, target: undefined, returnResponse },
  );
  if (!outcome.ok) {
    if (outcome.refused && outcome.error.code === 'unauthorized') return plain(reply, 401);
    // HA: homeassistant/components/api/__init__.py catches only vol.Invalid and ServiceNotFound
    // (400); helpers/http.py request_handler_factory lets every HomeAssistantError — a
    // ServiceValidationError too — through to aiohttp's 500.
    const code = outcome.error.code;
    return plain(reply, code === 'not_found' || code === 'invalid_format' ? 400 : 500);
  }
  const changed = changedStates(deps, scope, device.id, outcome.result);
  if (!returnResponse) return changed;
  const response = (outcome.result as { response?: unknown } | null)?.response ?? null;
  return { changed_states: changed, service_response: response };
}
