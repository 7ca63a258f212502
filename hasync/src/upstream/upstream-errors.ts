import {
  ERR_CANNOT_CONNECT,
  ERR_CONNECTION_LOST,
  ERR_HASS_HOST_REQUIRED,
  ERR_INVALID_AUTH,
} from 'home-assistant-js-websocket';
import { errorMessage, HasyncError, UnrecoverableError } from '../shared/errors.ts';

/** The client library rejects with bare numbers; these are their meanings. */
const LIBRARY_ERRORS: Record<number, string> = {
  [ERR_CANNOT_CONNECT]: 'cannot connect',
  [ERR_INVALID_AUTH]: 'invalid authentication',
  [ERR_CONNECTION_LOST]: 'connection lost',
  [ERR_HASS_HOST_REQUIRED]: 'no Home Assistant URL',
};

/**
 * Home Assistant sets all three when the error has a translation_key (null values included), none
 * otherwise; they are passed on exactly as present.
 */
const TRANSLATION_KEYS = ['translation_key', 'translation_domain', 'translation_placeholders'];

// HA: homeassistant/components/websocket_api/messages.py error_message
/**
 * Home Assistant's `{code, message, translation_*}` error: the code becomes the HasyncError's
 * code, the message its message (verbatim), and `details` carries `ha_code` plus each translation
 * field Home Assistant sent, so the gateway can hand devices the same error.
 */
function fromHomeAssistant(err: object): HasyncError {
  const { code, message } = err as { code: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : `Home Assistant error ${String(code)}`;
  const details: Record<string, unknown> = { ha_code: code };
  for (const key of TRANSLATION_KEYS) {
    if (key in err) details[key] = (err as Record<string, unknown>)[key];
  }
  return new HasyncError(typeof code === 'string' ? code : 'upstream_error', text, { details });
}

/** In-flight commands of a closed connection reject with a whole result message (connection.ts). */
function isConnectionLost(err: unknown): boolean {
  const inner = (err as { error?: { code?: unknown } } | null)?.error;
  return typeof err === 'object' && inner?.code === ERR_CONNECTION_LOST;
}

/**
 * Turns whatever the library or Home Assistant rejected with into a HasyncError. Home Assistant's
 * own error codes (`not_found`, `invalid_format`, `home_assistant_error`, …) are kept as the code,
 * so the device gateway can pass them on.
 */
export function toHasyncError(err: unknown): HasyncError {
  if (err instanceof HasyncError) return err;
  if (err === ERR_INVALID_AUTH) {
    return new UnrecoverableError('auth_invalid', 'Home Assistant rejected the access token');
  }
  if (typeof err === 'number') {
    const code = err === ERR_CONNECTION_LOST ? 'unavailable' : 'upstream_error';
    return new HasyncError(code, `Home Assistant: ${LIBRARY_ERRORS[err] ?? `error ${err}`}`);
  }
  if (isConnectionLost(err))
    return new HasyncError('unavailable', 'Home Assistant: connection lost');
  if (typeof err === 'object' && err !== null && 'code' in err) return fromHomeAssistant(err);
  return new HasyncError('upstream_error', errorMessage(err), { cause: err });
}
