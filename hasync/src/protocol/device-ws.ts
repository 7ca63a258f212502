/**
 * The device WebSocket protocol: Home Assistant's framing, a scoped subset of its commands, and
 * HAsync's close codes. Every inbound frame is checked against these schemas before use.
 */

/** Close codes HAsync uses on device sockets. */
export const CLOSE_REVOKED = 4001;
export const CLOSE_POLICY = 1008;
export const CLOSE_TOO_BIG = 1009;
export const CLOSE_TOO_SLOW = 1013;
export const CLOSE_GOING_AWAY = 1001;
/** Home Assistant is unreachable: come back later (as after Home Assistant's own restart). */
export const CLOSE_TRY_AGAIN = 1013;

export const MAX_FRAME_BYTES = 64 * 1024;
export const MAX_SESSIONS_PER_DEVICE = 5;
export const AUTH_TIMEOUT_MS = 10_000;

export const COMMAND_TYPES = [
  'supported_features',
  'ping',
  'auth/current_user',
  'get_states',
  'get_config',
  'get_services',
  'subscribe_entities',
  'subscribe_events',
  'unsubscribe_events',
  'call_service',
  'config/area_registry/list',
  'config/device_registry/list',
  'config/entity_registry/list_for_display',
  'config/floor_registry/list',
  'config/label_registry/list',
  'hasync/whoami',
] as const;

export type CommandType = (typeof COMMAND_TYPES)[number];

const ID = { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } as const;
const ENTITY_ID = { type: 'string', pattern: '^[a-z0-9_]+\\.[a-z0-9_]+$', maxLength: 255 } as const;
const IDS = {
  anyOf: [
    { type: 'string', maxLength: 4096 },
    { type: 'array', maxItems: 1000, items: { type: 'string', maxLength: 255 } },
  ],
} as const;

/** `include`/`exclude` of `subscribe_entities` (Home Assistant 2024.9+, helpers/entityfilter.py). */
const ENTITY_FILTER = {
  type: 'object',
  additionalProperties: false,
  properties: {
    domains: { type: 'array', maxItems: 1000, items: { type: 'string', maxLength: 255 } },
    entities: { type: 'array', maxItems: 10000, items: ENTITY_ID },
    entity_globs: { type: 'array', maxItems: 1000, items: { type: 'string', maxLength: 255 } },
  },
} as const;

export const AUTH_SCHEMA = {
  type: 'object',
  required: ['type', 'access_token'],
  properties: {
    type: { const: 'auth' },
    access_token: { type: 'string', minLength: 1, maxLength: 4096 },
  },
} as const;

/** A command with no arguments: Home Assistant refuses extra keys (voluptuous PREVENT_EXTRA). */
function command(properties: Record<string, object> = {}, required: string[] = []): object {
  return {
    type: 'object',
    required: ['id', 'type', ...required],
    additionalProperties: false,
    properties: { id: ID, type: { type: 'string' }, ...properties },
  };
}

/**
 * Schemas by command type, as Home Assistant declares them (`@websocket_command` schemas in
 * websocket_api/commands.py and the registry modules): unknown keys are an invalid_format error.
 */
export const COMMAND_SCHEMAS: Record<CommandType, object> = {
  supported_features: command(
    { features: { type: 'object', additionalProperties: { type: 'integer' } } },
    ['features'],
  ),
  ping: command(),
  'auth/current_user': command(),
  get_states: command(),
  get_config: command(),
  get_services: command(),
  subscribe_entities: command({
    include: ENTITY_FILTER,
    exclude: ENTITY_FILTER,
    entity_ids: {
      anyOf: [
        { type: 'string', maxLength: 65536 },
        { type: 'array', maxItems: 10000, items: ENTITY_ID },
      ],
    },
  }),
  subscribe_events: command({ event_type: { type: 'string', maxLength: 255 } }),
  unsubscribe_events: command({ subscription: ID }, ['subscription']),
  call_service: command(
    {
      domain: { type: 'string', maxLength: 64 },
      service: { type: 'string', maxLength: 64 },
      service_data: { type: 'object' },
      target: {
        type: 'object',
        properties: { entity_id: IDS, device_id: IDS, area_id: IDS, floor_id: IDS, label_id: IDS },
      },
      return_response: { type: 'boolean' },
    },
    ['domain', 'service'],
  ),
  'config/area_registry/list': command(),
  'config/device_registry/list': command(),
  'config/entity_registry/list_for_display': command(),
  'config/floor_registry/list': command(),
  'config/label_registry/list': command(),
  'hasync/whoami': command(),
};

/** The error codes a device may receive in a failed result. */
export type DeviceErrorCode =
  | 'invalid_format'
  | 'unknown_command'
  | 'unauthorized'
  | 'not_found'
  | 'id_reuse'
  | 'home_assistant_error'
  | 'not_supported'
  | 'service_validation_error'
  | 'unknown_error'
  | 'timeout';
