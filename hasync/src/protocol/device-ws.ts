/**
 * The device WebSocket protocol: Home Assistant's framing, a scoped subset of its commands, and
 * HAsync's close codes. Every inbound frame is checked against Home Assistant's own command schemas
 * (ha-command-schemas.ts) before use.
 */

import { REFUSED_COMMANDS } from './ha-command-schemas.ts';

/** Close codes HAsync uses on device sockets. Revoked, or past its end date (`expires_at`). */
export const CLOSE_REVOKED = 4001;
/**
 * Outside the device's schedule: the reason is the schedule in words ("Available weekdays
 * 09:00–17:00") for the client to show; connecting again is closed the same way until it opens.
 */
export const CLOSE_OUTSIDE_SCHEDULE = 4002;
export const CLOSE_POLICY = 1008;
export const CLOSE_TOO_BIG = 1009;
export const CLOSE_TOO_SLOW = 1013;
export const CLOSE_GOING_AWAY = 1001;
/** The device's scope changed: a client drawing a generated dashboard reconnects to redraw it. */
export const CLOSE_SCOPE_CHANGED = 1012;
/** Home Assistant is unreachable: come back later (as after Home Assistant's own restart). */
export const CLOSE_TRY_AGAIN = 1013;

export const MAX_FRAME_BYTES = 64 * 1024;
export const MAX_SESSIONS_PER_DEVICE = 5;
export const AUTH_TIMEOUT_MS = 10_000;

/**
 * Limits that keep one device from exhausting the server (README "Limits"). Home Assistant's own
 * frontend opening a dashboard sends a few dozen messages at once and holds a few dozen
 * subscriptions, far inside these.
 */
/** Open subscriptions (entities and events) per socket; a further subscribe gets `not_allowed`. */
export const MAX_SUBSCRIPTIONS_PER_SOCKET = 100;
/** Entries of `entity_ids` and of each include/exclude `entities`/`domains` list. */
export const MAX_FILTER_ITEMS = 500;
/** Include/exclude `entity_globs` per list (each one becomes part of a regular expression). */
export const MAX_FILTER_GLOBS = 50;
/** Nesting levels of `service_data` and `target` (the object itself is level 1). */
export const MAX_DATA_DEPTH = 10;
/** Values (members and array items, at any depth) in `service_data` or `target`. */
export const MAX_DATA_VALUES = 1000;
/** Nesting levels of any whole message, checked before its schema. */
export const MAX_MESSAGE_DEPTH = 16;
/** Inbound messages per socket: sustained rate, and the burst a client may send at once. */
export const MESSAGE_RATE_PER_S = 50;
export const MESSAGE_BURST = 200;

/** What Home Assistant's frontend asks for a dashboard (design §5c); see gateway/frontend-*.ts. */
export const FRONTEND_COMMAND_TYPES = [
  'get_panels',
  'frontend/get_themes',
  'frontend/get_translations',
  'frontend/get_icons',
  'frontend/get_user_data',
  'frontend/set_user_data',
  'frontend/subscribe_user_data',
  'lovelace/config',
  'lovelace/resources',
  'repairs/list_issues',
  'persistent_notification/subscribe',
  'history/stream',
  'logbook/event_stream',
  'recorder/info',
  'sensor/numeric_device_classes',
  'config/entity_registry/list',
  'config/entity_registry/get',
  'recorder/statistics_during_period',
  'auth/sign_path',
  // Offered only to be refused (unauthorized), whatever the message holds.
  ...REFUSED_COMMANDS,
] as const;

export type FrontendCommandType = (typeof FRONTEND_COMMAND_TYPES)[number];

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
  // The device's wall-display settings and the admin's actions (reload, identify), as events.
  'hasync/display/subscribe',
  ...FRONTEND_COMMAND_TYPES,
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
  | 'not_allowed'
  | 'rate_limited'
  | 'unauthorized'
  | 'not_found'
  | 'id_reuse'
  | 'home_assistant_error'
  | 'not_supported'
  | 'service_validation_error'
  | 'unknown_error'
  | 'timeout'
  // HA: components/lovelace/websocket.py — no stored dashboard; the frontend generates one.
  | 'config_not_found';
