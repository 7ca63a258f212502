/** Every error HAsync throws on purpose carries a stable `code`; the edges map codes to HTTP/WS. */
export class HasyncError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: string,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HasyncError';
    this.code = code;
    this.details = options.details;
  }
}

/** A failure that retrying cannot fix (a rejected token, a refused database). */
export class UnrecoverableError extends HasyncError {
  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
    this.name = 'UnrecoverableError';
  }
}

export function assertNever(value: never, what = 'value'): never {
  throw new HasyncError('internal_error', `unexpected ${what}: ${JSON.stringify(value)}`);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
