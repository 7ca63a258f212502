import { Ajv, type ValidateFunction } from 'ajv';
import {
  AUTH_SCHEMA,
  COMMAND_SCHEMAS,
  COMMAND_TYPES,
  type CommandType,
  type DeviceErrorCode,
} from '../protocol/device-ws.ts';

/** A frame after parsing and schema checking. */
export type ParsedFrame =
  | { kind: 'auth'; token: string }
  | { kind: 'command'; id: number; type: CommandType; message: Record<string, unknown> }
  | { kind: 'invalid'; id: number | null; code: DeviceErrorCode; message: string };

const ajv = new Ajv({ allErrors: false, strict: false });
const validateAuth = ajv.compile(AUTH_SCHEMA);
const validators = new Map<string, ValidateFunction>(
  COMMAND_TYPES.map((type) => [type, ajv.compile(COMMAND_SCHEMAS[type])]),
);

function invalid(id: number | null, code: DeviceErrorCode, message: string): ParsedFrame {
  return { kind: 'invalid', id, code, message };
}

function idOf(value: Record<string, unknown>): number | null {
  return Number.isSafeInteger(value.id) && (value.id as number) > 0 ? (value.id as number) : null;
}

/** Parses one text frame: JSON → object → known type → that type's schema. Never throws. */
export function parseFrame(text: string, authenticated: boolean): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return invalid(null, 'invalid_format', 'message is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return invalid(null, 'invalid_format', 'message must be a JSON object');
  }
  const message = value as Record<string, unknown>;
  if (!authenticated) {
    return validateAuth(message)
      ? { kind: 'auth', token: message.access_token as string }
      : invalid(null, 'invalid_format', 'expected {"type":"auth","access_token":"…"}');
  }
  const id = idOf(message);
  if (id === null) return invalid(null, 'invalid_format', 'message needs a positive integer id');
  if (typeof message.type !== 'string')
    return invalid(id, 'invalid_format', 'message needs a type');
  const validate = validators.get(message.type);
  if (!validate)
    return invalid(id, 'unknown_command', `unknown command ${message.type.slice(0, 64)}`);
  if (!validate(message)) {
    const first = validate.errors?.[0];
    const where = first?.instancePath || 'message';
    return invalid(id, 'invalid_format', `${where} ${first?.message ?? 'is invalid'}`);
  }
  return { kind: 'command', id, type: message.type as CommandType, message };
}
