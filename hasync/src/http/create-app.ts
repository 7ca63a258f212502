import type { Socket } from 'node:net';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from '../shared/logger.ts';
import {
  type ConnectionCounts,
  type ConnectionLimits,
  DEVICE_CONNECTION_LIMITS,
  guardConnections,
} from './connection-guard.ts';
import { handleError, handleNotFound } from './errors.ts';
import { lazySchemaCompilers } from './lazy-schemas.ts';
import { securityHeaders } from './security-headers.ts';

/** Largest request body either listener accepts (design: 64 KiB). */
export const BODY_LIMIT_BYTES = 64 * 1024;
/** A client has this long to send a request's headers (slowloris: one byte at a time). */
export const HEADERS_TIMEOUT_MS = 10_000;
/** …and this long for the whole request, body included. */
export const REQUEST_TIMEOUT_MS = 30_000;
/** An idle keep-alive connection is closed after this long. */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** A connection with no traffic either way (a client that stopped reading) is closed. */
export const IDLE_TIMEOUT_MS = 60_000;
/** How often Node checks the header and request deadlines (its default is 30 s). */
const DEADLINE_CHECK_MS = 1_000;

declare module 'fastify' {
  interface FastifyInstance {
    /** Connections counted by the connection guard now, and refused since start. */
    connectionCounts(): ConnectionCounts;
  }
}

/**
 * A Fastify instance with HAsync's common behaviour: injected logger (request URLs logged without
 * their query, which may carry a pairing code), 64 KiB bodies, request/header/idle deadlines,
 * connection caps per client and per listener, security headers, the shared error shape, and
 * connections closed on shutdown.
 */
export function createApp(
  log: Logger,
  limits: ConnectionLimits = DEVICE_CONNECTION_LIMITS,
): FastifyInstance {
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    forceCloseConnections: true,
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    requestTimeout: REQUEST_TIMEOUT_MS,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    connectionTimeout: IDLE_TIMEOUT_MS,
    http: {
      headersTimeout: HEADERS_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: DEADLINE_CHECK_MS,
    },
    clientErrorHandler: answerClientError,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    schemaController: { compilersFactory: lazySchemaCompilers() },
  });
  app.decorate('connectionCounts', guardConnections(app.server, limits, log));
  securityHeaders(app);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);
  // A callback hook, not an async one: no promise and microtask per request.
  app.addHook('onResponse', (req, reply, done) => {
    // The route's pattern, never the URL: a path or query may carry a token, PIN or code.
    const route = req.routeOptions.url ?? '(no route)';
    req.log.debug({ method: req.method, route, status: reply.statusCode }, 'request');
    done();
  });
  return app;
}

const CLIENT_ERRORS: Record<string, [number, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout'],
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large'],
};

/**
 * Answers a request Node could not parse or that missed its deadline. Unlike Fastify's default,
 * it never logs the error object: Node attaches the raw bytes received (`rawPacket`), which may
 * hold a token, PIN or code.
 */
function answerClientError(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason] = CLIENT_ERRORS[err.code ?? ''] ?? [400, 'Bad Request'];
  this.log.debug({ code: err.code, status }, 'malformed or late request refused');
  if (socket.writable) {
    const body = JSON.stringify({ error: { code: 'invalid_input', message: reason } });
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
