import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HomeView } from '../../cache/home-view.ts';
import { performCall, type ServiceCaller } from '../../gateway/commands.ts';
import { denialRecorder } from '../../gateway/denials.ts';
import type { DeviceService } from '../../pairing/device-service.ts';
import { resolveScope } from '../../scope/resolve-scope.ts';
import type { Clock } from '../../shared/clock.ts';
import { HasyncError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import type { AuditStore } from '../../storage/audit-store.ts';
import type { DeviceRecord } from '../../storage/device-store.ts';
import { errorBody } from '../errors.ts';

export interface DeviceRestDeps {
  readonly log: Logger;
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

const ENTITY_ID = { type: 'string', pattern: '^[a-z0-9_]+\\.[a-z0-9_]+$', maxLength: 255 } as const;
const SLUG = { type: 'string', pattern: '^[a-z0-9_]{1,64}$' } as const;

/** Resolves the Bearer device token; 401 in the shared error shape otherwise. */
function bearerDevice(devices: DeviceService) {
  return async (req: FastifyRequest) => {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    const device = token ? devices.authenticate(token) : undefined;
    if (!device) throw new HasyncError('unauthorized', 'a valid device token is required');
    req.device = device;
  };
}

function deviceOf(req: FastifyRequest): DeviceRecord {
  if (!req.device) throw new HasyncError('unauthorized', 'a valid device token is required');
  return req.device;
}

/**
 * Home Assistant's REST API subset for devices: `/api/`, `/api/config`, `/api/states`,
 * `/api/states/<entity_id>` and `POST /api/services/<domain>/<service>`, all scoped.
 */
export function deviceRestRoutes(app: FastifyInstance, deps: DeviceRestDeps): void {
  const scopeOf = (device: DeviceRecord) => resolveScope(device, deps.home);
  void app.register(async (api) => {
    api.addHook('onRequest', bearerDevice(deps.devices));
    api.get('/api/', async () => ({ message: 'API running.' }));
    api.get('/api/config', async () => deps.home.config() ?? {});
    api.get('/api/states', async (req) =>
      [...scopeOf(deviceOf(req))].flatMap((id) => deps.home.state(id) ?? []),
    );
    api.get<{ Params: { entity_id: string } }>(
      '/api/states/:entity_id',
      { schema: { params: { type: 'object', properties: { entity_id: ENTITY_ID } } } },
      async (req) => {
        const id = req.params.entity_id;
        const state = scopeOf(deviceOf(req)).has(id) ? deps.home.state(id) : undefined;
        if (!state) throw new HasyncError('not_found', `entity ${id} not found`);
        return state;
      },
    );
    api.post<{
      Params: { domain: string; service: string };
      Body: Record<string, unknown> | undefined;
    }>(
      '/api/services/:domain/:service',
      {
        schema: {
          params: { type: 'object', properties: { domain: SLUG, service: SLUG } },
          body: { type: 'object' },
        },
      },
      (req, reply) => callService(deps, scopeOf, req, reply),
    );
  });
}

async function callService(
  deps: DeviceRestDeps,
  scopeOf: (device: DeviceRecord) => ReadonlySet<string>,
  req: FastifyRequest<{
    Params: { domain: string; service: string };
    Body: Record<string, unknown> | undefined;
  }>,
  reply: FastifyReply,
) {
  const device = deviceOf(req);
  const outcome = await performCall(
    {
      device,
      scope: scopeOf(device),
      home: deps.home,
      caller: deps.caller,
      denied: denialRecorder(deps, device.id),
    },
    { ...req.params, serviceData: req.body ?? {}, target: undefined },
  );
  if (!outcome.ok) {
    const status = outcome.code === 'unauthorized' ? 403 : 502;
    return reply.status(status).send(errorBody(outcome.code, outcome.message));
  }
  return outcome.entityIds.flatMap((id) => deps.home.state(id) ?? []);
}
