import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { HasyncError } from '../shared/errors.ts';

/** The one error body shape of every HTTP endpoint. */
export interface ErrorBody {
  error: { code: string; message: string };
}

const STATUS_BY_CODE: Record<string, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  limit_reached: 409,
  gone: 410,
  too_many_requests: 429,
  unavailable: 503,
};

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

/** Maps Fastify's own errors (validation, body parsing, size) and HasyncError codes to replies. */
export function handleError(
  err: FastifyError | HasyncError | Error,
  req: FastifyRequest,
  reply: FastifyReply,
): void {
  if (err instanceof HasyncError) {
    const status = STATUS_BY_CODE[err.code] ?? 500;
    if (status >= 500) req.log.error({ err }, 'request failed');
    const retryAfter = err.details?.retry_after_s;
    if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
    void reply.status(status).send(errorBody(err.code, err.message));
    return;
  }
  const fastifyErr = err as FastifyError;
  if (fastifyErr.validation) {
    void reply.status(400).send(errorBody('invalid_input', fastifyErr.message));
    return;
  }
  const status = fastifyErr.statusCode ?? 500;
  if (status === 429) {
    void reply.status(429).send(errorBody('too_many_requests', fastifyErr.message));
    return;
  }
  if (status >= 400 && status < 500) {
    const code =
      status === 413 || status === 415 || status === 400 ? 'invalid_input' : 'bad_request';
    void reply
      .status(status === 413 || status === 415 ? 400 : status)
      .send(errorBody(code, err.message));
    return;
  }
  req.log.error({ err }, 'request failed');
  void reply.status(500).send(errorBody('internal_error', 'internal error'));
}

export function handleNotFound(req: FastifyRequest, reply: FastifyReply): void {
  void reply
    .status(404)
    .send(errorBody('not_found', `no route for ${req.method} ${req.url.split('?')[0]}`));
}
