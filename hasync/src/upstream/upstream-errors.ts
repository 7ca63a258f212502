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
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const { code, message } = err as { code: unknown; message?: unknown };
    const text = typeof message === 'string' ? message : `Home Assistant error ${String(code)}`;
    return new HasyncError(typeof code === 'string' ? code : 'upstream_error', text, {
      details: { ha_code: code },
    });
  }
  return new HasyncError('upstream_error', errorMessage(err), { cause: err });
}
