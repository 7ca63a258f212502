import type { FastifyInstance } from 'fastify';
import type { DeviceGateway } from '../gateway/device-gateway.ts';
import type { Logger } from '../shared/logger.ts';
import type { FrontendFiles } from '../upstream/frontend-files.ts';
import { DEVICE_CONNECTION_LIMITS } from './connection-guard.ts';
import { createApp } from './create-app.ts';
import { authRoutes } from './routes/auth-login.ts';
import { type DeviceRestDeps, deviceRestRoutes } from './routes/device-rest.ts';
import { deviceWebSocketRoute } from './routes/device-websocket.ts';
import { haFrontendRoutes } from './routes/ha-frontend.ts';
import { type HealthDeps, healthRoutes } from './routes/health.ts';
import { defaultKioskRoot, kioskRoutes } from './routes/kiosk.ts';
import { type PairRoutesDeps, pairRoutes } from './routes/pair.ts';

export type DeviceAppDeps = HealthDeps & {
  readonly log: Logger;
  readonly pair?: PairRoutesDeps;
  readonly gateway?: DeviceGateway;
  readonly rest?: DeviceRestDeps;
  /** Folder of the built kiosk web client (default: dist/kiosk, see kiosk.ts). */
  readonly kioskRoot?: string;
  /**
   * Home Assistant's frontend files (app and standalone mode). With them, `/` is Home Assistant's
   * frontend whenever upstream serves one, and the kiosk lives at `/kiosk/`; without (demo mode)
   * the kiosk is at `/` too.
   */
  readonly frontend?: FrontendFiles;
  /** HTTP connections one client may hold (default DEVICE_CONNECTION_LIMITS.perClient). */
  readonly connectionsPerClient?: number;
};

/**
 * The device listener (published port): pairing, the scoped HA-compatible API, Home Assistant's
 * frontend and the kiosk client.
 */
export function createDeviceApp(deps: DeviceAppDeps): FastifyInstance {
  const app = createApp(deps.log.child({ module: 'device-http' }), {
    ...DEVICE_CONNECTION_LIMITS,
    perClient: deps.connectionsPerClient ?? DEVICE_CONNECTION_LIMITS.perClient,
  });
  healthRoutes(app, deps, { reasons: false });
  if (deps.pair) pairRoutes(app, deps.pair);
  if (deps.gateway) deviceWebSocketRoute(app, deps.gateway);
  if (deps.rest) deviceRestRoutes(app, deps.rest);
  // Home Assistant's login endpoints: the pairing service makes the device, DeviceService its login.
  if (deps.pair && deps.rest)
    authRoutes(app, { ...deps.pair, devices: deps.rest.devices, log: deps.log });
  if (deps.frontend) haFrontendRoutes(app, deps.frontend);
  kioskRoutes(app, deps.kioskRoot ?? defaultKioskRoot(), { atRoot: !deps.frontend });
  return app;
}
