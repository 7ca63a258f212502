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

export const MAX_FRAME_BYTES = 64 * 1024;
export const MAX_SESSIONS_PER_DEVICE = 5;
export const AUTH_TIMEOUT_MS = 10_000;

export const COMMAND_TYPES = [
  'supported_features',
  'ping',
  'get_states',
  'get_config',
  'get_services',
  'subscribe_entities',
  'subscribe_events',
  'unsubscribe_events',
  'call_service',
  'config/area_registry/list',
  'config/entity_registry/list_for_display',
  'config/device_registry/list',
  'hasync/whoami',
] as const;

export type CommandType = (typeof COMMAND_TYPES)[number];

const ID = { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } as const;
const IDS = {
  anyOf: [
    { type: 'string', maxLength: 4096 },
    { type: 'array', maxItems: 1000, items: { type: 'string', maxLength: 255 } },
  ],
} as const;

export const AUTH_SCHEMA = {
  type: 'object',
  required: ['type', 'access_token'],
  properties: {
    type: { const: 'auth' },
    access_token: { type: 'string', minLength: 1, maxLength: 4096 },
  },
} as const;

/** Schemas by command type; properties not listed are ignored, as Home Assistant does. */
export const COMMAND_SCHEMAS: Record<CommandType, object> = {
  supported_features: {
    type: 'object',
    required: ['id'],
    properties: { id: ID, features: { type: 'object' } },
  },
  ping: { type: 'object', required: ['id'], properties: { id: ID } },
  get_states: { type: 'object', required: ['id'], properties: { id: ID } },
  get_config: { type: 'object', required: ['id'], properties: { id: ID } },
  get_services: { type: 'object', required: ['id'], properties: { id: ID } },
  subscribe_entities: {
    type: 'object',
    required: ['id'],
    properties: {
      id: ID,
      entity_ids: { type: 'array', maxItems: 10000, items: { type: 'string' } },
    },
  },
  subscribe_events: {
    type: 'object',
    required: ['id'],
    properties: { id: ID, event_type: { type: 'string', maxLength: 255 } },
  },
  unsubscribe_events: {
    type: 'object',
    required: ['id', 'subscription'],
    properties: { id: ID, subscription: ID },
  },
  call_service: {
    type: 'object',
    required: ['id', 'domain', 'service'],
    properties: {
      id: ID,
      domain: { type: 'string', pattern: '^[a-z0-9_]{1,64}$' },
      service: { type: 'string', pattern: '^[a-z0-9_]{1,64}$' },
      service_data: { type: 'object' },
      target: {
        type: 'object',
        additionalProperties: false,
        properties: { entity_id: IDS, device_id: IDS, area_id: IDS },
      },
      return_response: { type: 'boolean' },
    },
  },
  'config/area_registry/list': { type: 'object', required: ['id'], properties: { id: ID } },
  'config/entity_registry/list_for_display': {
    type: 'object',
    required: ['id'],
    properties: { id: ID },
  },
  'config/device_registry/list': { type: 'object', required: ['id'], properties: { id: ID } },
  'hasync/whoami': { type: 'object', required: ['id'], properties: { id: ID } },
};

/** The error codes a device may receive in a failed result. */
export type DeviceErrorCode =
  | 'invalid_format'
  | 'unknown_command'
  | 'unauthorized'
  | 'not_found'
  | 'id_reuse'
  | 'home_assistant_error'
  | 'not_supported';
