import type { FastifyInstance } from 'fastify';
import type { Logger } from '../shared/logger.ts';
import { createApp } from './create-app.ts';
import { type HealthDeps, healthRoutes } from './routes/health.ts';
import { type PairRoutesDeps, pairRoutes } from './routes/pair.ts';

export type DeviceAppDeps = HealthDeps & { readonly log: Logger; readonly pair?: PairRoutesDeps };

/** The device listener (published port): pairing, the scoped HA-compatible API, the kiosk client. */
export function createDeviceApp(deps: DeviceAppDeps): FastifyInstance {
  const app = createApp(deps.log.child({ module: 'device-http' }));
  healthRoutes(app, deps);
  if (deps.pair) pairRoutes(app, deps.pair);
  return app;
}
