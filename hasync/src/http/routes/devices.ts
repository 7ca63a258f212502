import type { FastifyInstance } from 'fastify';
import { ACTION_PIN_PATTERN } from '../../access/action-pin.ts';
import type { DeviceService, DeviceUpdate, DeviceView } from '../../pairing/device-service.ts';
import { WEEKDAYS } from '../../protocol/household-rules.ts';
import {
  DISPLAY_ACTIONS,
  DISPLAY_SCHEMA,
  type DisplayAction,
  MAX_DIM_WINDOWS,
} from '../../protocol/wall-display.ts';
import { HasyncError } from '../../shared/errors.ts';
import { errorBody } from '../errors.ts';
import {
  AREA_IDS,
  ENTITY_IDS,
  ID_PARAMS,
  ISO_WITH_ZONE,
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
  floors: { type: 'array', items: { type: 'string' } },
  labels: { type: 'array', items: { type: 'string' } },
  domains: { type: 'array', items: { type: 'string' } },
  view_only: { type: 'array', items: { type: 'string' } },
  view_only_domains: { type: 'array', items: { type: 'string' } },
  expires_at: { type: ['string', 'null'], format: 'date-time' },
  schedule: {
    anyOf: [
      { type: 'null' },
      {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            days: { type: 'array', items: { type: 'string' } },
            from: { type: 'string' },
            to: { type: 'string' },
          },
        },
      },
    ],
  },
  has_action_pin: { type: 'boolean', description: 'whether calls on pin_domains need a code' },
  pin_domains: { type: 'array', items: { type: 'string' } },
  dashboard: {
    type: ['string', 'null'],
    description:
      "the household dashboard the device's Home Assistant frontend shows, scoped (a url_path; " +
      '`lovelace` = Overview); null: generated from the scope',
  },
  display: {
    ...DISPLAY_SCHEMA,
    required: ['screensaver_after_s', 'dim_schedule'],
  },
} as const;

const DOMAINS = {
  type: 'array',
  maxItems: 1000,
  uniqueItems: true,
  items: { type: 'string', pattern: '^[a-z0-9_]{1,64}$' },
} as const;

/** An ISO 8601 date and time with its zone (`Z` or an offset), or null: never expires. */
const EXPIRES_AT = {
  type: ['string', 'null'],
  pattern: ISO_WITH_ZONE,
} as const;

/** A Home Assistant dashboard's url_path (HA: lovelace/dashboard.py url_slug), or null. */
const DASHBOARD = {
  type: ['string', 'null'],
  pattern: '^[a-z0-9_-]{1,100}$',
} as const;

const HH_MM = { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' } as const;

/** null: any time; else windows in Home Assistant's time zone (`to` ≤ `from` runs past midnight). */
const SCHEDULE = {
  type: ['array', 'null'],
  maxItems: 50,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['days', 'from', 'to'],
    properties: {
      days: {
        type: 'array',
        minItems: 1,
        maxItems: 7,
        uniqueItems: true,
        items: { type: 'string', enum: WEEKDAYS },
      },
      from: HH_MM,
      to: HH_MM,
    },
  },
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
  summary:
    'Rename, re-scope, make read-only or change household rules (view-only, end date, schedule, ' +
    'action PIN); applies to live sessions at once',
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
      floors: AREA_IDS,
      labels: AREA_IDS,
      domains: DOMAINS,
      view_only: ENTITY_IDS,
      view_only_domains: DOMAINS,
      expires_at: EXPIRES_AT,
      schedule: SCHEDULE,
      action_pin: {
        type: ['string', 'null'],
        pattern: ACTION_PIN_PATTERN,
        description: '4–8 digits, stored hashed and never returned; null removes it',
      },
      pin_domains: DOMAINS,
      dashboard: DASHBOARD,
      display: {
        ...DISPLAY_SCHEMA,
        minProperties: 1,
        description:
          `${DISPLAY_SCHEMA.description}. A field left out keeps its value; at most ` +
          `${MAX_DIM_WINDOWS} dim windows, none empty and no two overlapping`,
      },
    },
  },
  response: { 200: DEVICE_WITH_SCOPE },
} as const;

const ACTION_SCHEMA = {
  summary:
    "Ask the device's open screens to reload the page or identify themselves (flash), over " +
    'their live connection',
  tags: ['devices'],
  params: ID_PARAMS,
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['action'],
    properties: { action: { type: 'string', enum: DISPLAY_ACTIONS } },
  },
  response: {
    202: {
      type: 'object',
      required: ['delivered'],
      properties: {
        delivered: {
          type: 'integer',
          description: "how many of the device's live sessions (screens) got the action",
        },
      },
    },
    409: {
      description:
        '`device_offline`: no live session of the device listens for actions ' +
        '(hasync/display/subscribe)',
      type: 'object',
      properties: {
        error: {
          type: 'object',
          properties: { code: { type: 'string' }, message: { type: 'string' } },
        },
      },
    },
  },
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

  app.patch<{ Params: { id: string }; Body: DeviceUpdate }>(
    '/api/devices/:id',
    { schema: PATCH_SCHEMA },
    async (req) => withScope(devices.patch(req.params.id, req.body, req.actor)),
  );

  app.post<{ Params: { id: string }; Body: { action: DisplayAction } }>(
    '/api/devices/:id/actions',
    { schema: ACTION_SCHEMA },
    async (req, reply) => {
      try {
        const outcome = devices.act(req.params.id, req.body.action, req.actor);
        return reply.status(202).send(outcome);
      } catch (err) {
        // The one error of this route with no status of its own (errors.ts maps the rest).
        if (err instanceof HasyncError && err.code === 'device_offline')
          return reply.status(409).send(errorBody(err.code, err.message));
        throw err;
      }
    },
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
