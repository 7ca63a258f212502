import { Ajv, type ValidateFunction } from 'ajv';
import {
  AUTH_SCHEMA,
  COMMAND_SCHEMAS,
  COMMAND_TYPES,
  type CommandType,
  type DeviceErrorCode,
} from '../protocol/device-ws.ts';

/** One message after parsing and schema checking. */
export type ParsedFrame =
  | { kind: 'auth'; token: string }
  | { kind: 'command'; id: number; type: CommandType; message: Record<string, unknown> }
  | {
      kind: 'invalid';
      id: number | null;
      code: DeviceErrorCode;
      message: string;
      /** Home Assistant moves its last id on only when a handler ran (a schema error counts). */
      handled: boolean;
    };

/** A text frame: the messages it holds (a client may send a JSON array), or why to disconnect. */
export type ParsedText = { kind: 'json'; value: unknown } | { kind: 'disconnect'; reason: string };

const ajv = new Ajv({ allErrors: false, strict: false });
const validateAuth = ajv.compile(AUTH_SCHEMA);
const validators = new Map<string, ValidateFunction>(
  COMMAND_TYPES.map((type) => [type, ajv.compile(COMMAND_SCHEMAS[type])]),
);

function invalid(
  id: number | null,
  code: DeviceErrorCode,
  message: string,
  handled = false,
): ParsedFrame {
  return { kind: 'invalid', id, code, message, handled };
}

/** JSON text, or the reason to disconnect (Home Assistant drops a client sending invalid JSON). */
export function parseText(text: string): ParsedText {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'disconnect', reason: 'Received invalid JSON.' };
  }
  return { kind: 'json', value };
}

/** The auth phase: `{"type":"auth","access_token":…}` or an invalid frame. */
export function parseAuth(value: unknown): ParsedFrame {
  if (typeof value === 'object' && value !== null && validateAuth(value)) {
    return { kind: 'auth', token: (value as { access_token: string }).access_token };
  }
  return invalid(null, 'invalid_format', 'Auth message incorrectly formatted: expected auth');
}

function humanize(validate: ValidateFunction): string {
  const first = validate.errors?.[0];
  if (!first) return 'Message is invalid.';
  const path = first.instancePath.split('/').filter(Boolean);
  if (first.keyword === 'additionalProperties') {
    path.push(String((first.params as { additionalProperty: string }).additionalProperty));
    return `extra keys not allowed @ data${path.map((p) => `['${p}']`).join('')}`;
  }
  if (first.keyword === 'required') {
    path.push(String((first.params as { missingProperty: string }).missingProperty));
    return `required key not provided @ data${path.map((p) => `['${p}']`).join('')}`;
  }
  return `${first.message ?? 'is invalid'} @ data${path.map((p) => `['${p}']`).join('')}`;
}

/**
 * One message of the command phase, checked in Home Assistant's order: shape (object with an
 * integer id and a string type), increasing id, known command, then the command's schema.
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
    const echo = Number.isSafeInteger(id) ? (id as number) : null;
    return invalid(echo, 'invalid_format', 'Message incorrectly formatted.');
  }
  const cur = id as number;
  if (cur <= lastId) return invalid(cur, 'id_reuse', 'Identifier values have to increase.');
  const validate = validators.get(message.type);
  if (!validate) return invalid(cur, 'unknown_command', 'Unknown command.');
  if (!validate(message)) return invalid(cur, 'invalid_format', humanize(validate), true);
  return { kind: 'command', id: cur, type: message.type as CommandType, message };
}
