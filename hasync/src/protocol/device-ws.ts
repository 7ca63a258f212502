/**
 * The device WebSocket protocol: Home Assistant's framing, a scoped subset of its commands, and
 * HAsync's close codes. Every inbound frame is checked against Home Assistant's own command schemas
 * (ha-command-schemas.ts) before use.
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

const COMMAND_SET: ReadonlySet<string> = new Set(COMMAND_TYPES);

export function isCommandType(type: string): type is CommandType {
  return COMMAND_SET.has(type);
}

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
