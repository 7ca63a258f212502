import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from '../shared/logger.ts';
import { handleError, handleNotFound } from './errors.ts';

/** Largest request body either listener accepts (design: 64 KiB). */
export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * A Fastify instance with HAsync's common behaviour: injected logger (request URLs logged without
 * their query, which may carry a pairing code), 64 KiB bodies, the shared error shape, and
 * connections closed on shutdown.
 */
export function createApp(log: Logger): FastifyInstance {
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    forceCloseConnections: true,
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);
  app.addHook('onResponse', async (req, reply) => {
    req.log.debug(
      { method: req.method, path: req.url.split('?')[0], status: reply.statusCode },
      'request',
    );
  });
  return app;
}
