import type { DeviceErrorCode } from '../protocol/device-ws.ts';
import { type CommandType, isCommandType } from '../protocol/device-ws.ts';
import { AUTH_MESSAGE_SCHEMA, COMMAND_SCHEMAS, command } from '../protocol/ha-command-schemas.ts';
import { humanizeError, Invalid, type Validator } from '../protocol/voluptuous/vol.ts';
import { checkLimits } from './frame-limits.ts';

/** One message after parsing and schema checking. */
export type ParsedFrame =
  | { kind: 'auth'; token: string }
  | { kind: 'command'; id: number; type: CommandType; message: Record<string, unknown> }
  | {
      kind: 'invalid';
      /** The id to answer with: Home Assistant echoes whatever id the message carried. */
      id: unknown;
      code: DeviceErrorCode;
      message: string;
      /** Home Assistant moves its last id on only when a handler ran (a schema error counts). */
      handled: boolean;
    };

/** A text frame: its JSON value, or the reason to disconnect. */
export type ParsedText = { kind: 'json'; value: unknown } | { kind: 'disconnect'; reason: string };

/** HAsync's own commands, beside Home Assistant's (no fields but `id` and `type`). */
const HASYNC_SCHEMAS: Record<string, Validator> = {
  'hasync/whoami': command({}),
  'hasync/display/subscribe': command({}),
};

function invalid(
  id: unknown,
  code: DeviceErrorCode,
  message: string,
  handled = false,
): ParsedFrame {
  return { kind: 'invalid', id, code, message, handled };
}

/** Runs a voluptuous-style schema; the coerced value, or Home Assistant's words for the error. */
function validate(
  schema: Validator,
  value: unknown,
): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: schema(value, []) };
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, error: humanizeError(value, err) };
    throw err;
  }
}

/** JSON text, or the reason to disconnect (Home Assistant drops a client sending invalid JSON). */
export function parseText(text: string): ParsedText {
  try {
    return { kind: 'json', value: JSON.parse(text) };
  } catch {
    return { kind: 'disconnect', reason: 'Received invalid JSON.' };
  }
}

/**
 * The auth phase. A malformed message is refused with Home Assistant's words for what is wrong; a
 * well-formed one without a usable token carries an empty token, which no device holds.
 * HA: homeassistant/components/websocket_api/auth.py AuthPhase.async_handle
 */
export function parseAuth(value: unknown): ParsedFrame {
  const result = validate(AUTH_MESSAGE_SCHEMA, value);
  if (!result.ok) {
    return invalid(null, 'invalid_format', `Auth message incorrectly formatted: ${result.error}`);
  }
  const token = (result.value as { access_token?: string }).access_token ?? '';
  return { kind: 'auth', token };
}

/**
 * One message of the command phase, checked in Home Assistant's order: shape (object with an
 * integer id and a string type), increasing id, known command, then the command's own schema
 * (Home Assistant's, so defaults are filled in and errors read as Home Assistant words them).
 * HAsync's size limits (frame-limits.ts) come just before the schema, and count as a schema error.
 * HA: homeassistant/components/websocket_api/connection.py ActiveConnection.async_handle
 */
export function parseCommand(value: unknown, lastId: number): ParsedFrame {
  const message = value as Record<string, unknown>;
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  const id = isObject ? message.id : undefined;
  if (
    !isObject ||
    !Number.isSafeInteger(id) ||
    (id as number) === 0 ||
    typeof message.type !== 'string' ||
    message.type === ''
  ) {
    // HA: connection.py — `msg.get("id") if isinstance(msg, dict) else 0`
    return invalid(isObject ? (id ?? null) : 0, 'invalid_format', 'Message incorrectly formatted.');
  }
  const cur = id as number;
  if (cur <= lastId) return invalid(cur, 'id_reuse', 'Identifier values have to increase.');
  const type = message.type;
  const schema = isCommandType(type) ? (HASYNC_SCHEMAS[type] ?? COMMAND_SCHEMAS[type]) : undefined;
  if (!isCommandType(type) || !schema) return invalid(cur, 'unknown_command', 'Unknown command.');
  const tooBig = checkLimits(type, message);
  if (tooBig) return invalid(cur, 'invalid_format', tooBig, true);
  const result = validate(schema, message);
  if (!result.ok) return invalid(cur, 'invalid_format', result.error, true);
  return { kind: 'command', id: cur, type, message: result.value as Record<string, unknown> };
}
