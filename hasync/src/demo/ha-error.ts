import { humanizeError, Invalid } from '../protocol/voluptuous/vol.ts';
import { HasyncError } from '../shared/errors.ts';

/** The translation fields Home Assistant adds to an error (exceptions.py `HomeAssistantError`). */
export interface Translation {
  translation_key: string;
  translation_domain: string;
  translation_placeholders: Record<string, string> | null;
}

/** An error as it goes on the wire. */
export interface WireError {
  code: string;
  message: string;
  translation: Translation | undefined;
}

/** A HasyncError carrying Home Assistant's error code and, where HA sends them, translations. */
export function haError(code: string, message: string, translation?: Translation): HasyncError {
  return new HasyncError(code, message, translation ? { details: { translation } } : {});
}

/** connection.py `async_handle_exception`: how a failed handler is reported. */
export function toWireError(err: unknown, msg: unknown): WireError {
  if (err instanceof Invalid) {
    return { code: 'invalid_format', message: humanizeError(msg, err), translation: undefined };
  }
  if (err instanceof HasyncError) {
    const translation = err.details?.translation as Translation | undefined;
    return { code: err.code, message: err.message || 'Unknown error', translation };
  }
  return { code: 'unknown_error', message: 'Unknown error', translation: undefined };
}

/** messages.py `error_message`: translation fields only when a translation key is set. */
export function errorFrame(
  id: unknown,
  code: string,
  message: string,
  translation?: Translation,
): string {
  const error: Record<string, unknown> = { code, message };
  if (translation) {
    error.translation_key = translation.translation_key;
    error.translation_placeholders = translation.translation_placeholders;
    error.translation_domain = translation.translation_domain;
  }
  return JSON.stringify({ id, type: 'result', success: false, error });
}
