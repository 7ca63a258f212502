import type { FastifyInstance } from 'fastify';
import type { DeviceService, DeviceView } from '../../pairing/device-service.ts';
import type { DevicePatch } from '../../storage/device-store.ts';
import {
  AREA_IDS,
  ENTITY_IDS,
  ID_PARAMS,
  iso,
  isoOrNull,
  NAME,
  OPTIONAL_TIME,
  TIME,
} from './api-schemas.ts';

export interface DeviceRoutesDeps {
  readonly devices: DeviceService;
}

const DEVICE_PROPERTIES = {
  id: { type: 'string' },
  name: { type: 'string' },
  type: { type: 'string' },
  created_at: TIME,
  last_seen_at: OPTIONAL_TIME,
  online: { type: 'boolean' },
  read_only: { type: 'boolean' },
  areas: { type: 'array', items: { type: 'string' } },
  entities: { type: 'array', items: { type: 'string' } },
  excluded: { type: 'array', items: { type: 'string' } },
} as const;

const DEVICE = {
  type: 'object',
  required: Object.keys(DEVICE_PROPERTIES),
  properties: DEVICE_PROPERTIES,
} as const;

const DEVICE_WITH_SCOPE = {
  type: 'object',
  required: [...Object.keys(DEVICE_PROPERTIES), 'scope'],
  properties: {
    ...DEVICE_PROPERTIES,
    scope: {
      type: 'array',
      items: { type: 'string' },
      description: 'entity ids the device may see now',
    },
  },
} as const;

const LIST_SCHEMA = {
  summary: 'Paired devices',
  tags: ['devices'],
  response: { 200: { type: 'array', items: DEVICE } },
} as const;

const GET_SCHEMA = {
  summary: 'One device with its resolved scope',
  tags: ['devices'],
  params: ID_PARAMS,
  response: { 200: DEVICE_WITH_SCOPE },
} as const;

const PATCH_SCHEMA = {
  summary: 'Rename, re-scope or make read-only; applies to live sessions at once',
  tags: ['devices'],
  params: ID_PARAMS,
  body: {
    type: 'object',
    additionalProperties: false,
    properties: {
      name: NAME,
      read_only: { type: 'boolean' },
      areas: AREA_IDS,
      entities: ENTITY_IDS,
      excluded: ENTITY_IDS,
    },
  },
  response: { 200: DEVICE_WITH_SCOPE },
} as const;

const REVOKE_SCHEMA = {
  summary: 'Revoke: the token dies at once and open sessions are closed',
  tags: ['devices'],
  params: ID_PARAMS,
  response: { 204: { type: 'null' } },
} as const;

function toJson(device: DeviceView) {
  return {
    ...device,
    created_at: iso(device.created_at),
    last_seen_at: isoOrNull(device.last_seen_at),
  };
}

/** `GET/PATCH/DELETE /api/devices[/:id]`. */
export function deviceRoutes(app: FastifyInstance, { devices }: DeviceRoutesDeps): void {
  const withScope = (device: DeviceView) => ({ ...toJson(device), scope: devices.scopeOf(device) });

  app.get('/api/devices', { schema: LIST_SCHEMA }, async () => devices.list().map(toJson));

  app.get<{ Params: { id: string } }>('/api/devices/:id', { schema: GET_SCHEMA }, async (req) =>
    withScope(devices.get(req.params.id)),
  );

  app.patch<{ Params: { id: string }; Body: DevicePatch }>(
    '/api/devices/:id',
    { schema: PATCH_SCHEMA },
    async (req) => withScope(devices.patch(req.params.id, req.body, req.actor)),
  );

  app.delete<{ Params: { id: string } }>(
    '/api/devices/:id',
    { schema: REVOKE_SCHEMA },
    async (req, reply) => {
      devices.revoke(req.params.id, req.actor);
      reply.status(204);
    },
  );
}
