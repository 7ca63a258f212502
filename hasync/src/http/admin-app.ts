import type { FastifyInstance } from 'fastify';
import type { Logger } from '../shared/logger.ts';
import { type AdminApiDeps, registerAdminApi } from './admin-api.ts';
import { isIngressPeer } from './admin-trust.ts';
import { ADMIN_CONNECTION_LIMITS } from './connection-guard.ts';
import { createApp } from './create-app.ts';
import { type HealthDeps, healthRoutes } from './routes/health.ts';
import { type StatusDeps, statusRoutes } from './routes/status.ts';
import { defaultWebRoot, webUiRoutes } from './routes/web-ui.ts';

export type AdminAppDeps = HealthDeps & {
  readonly log: Logger;
  readonly api?: AdminApiDeps;
  readonly status?: StatusDeps;
  /** Folder of the built admin web UI served at `/` (default: dist/web, see web-ui.ts). */
  readonly webRoot?: string;
  /** HTTP connections one client may hold (default ADMIN_CONNECTION_LIMITS.perClient). */
  readonly connectionsPerClient?: number;
};

/** The admin listener (ingress): admin REST API, events, and the admin web UI. */
export function createAdminApp(deps: AdminAppDeps): FastifyInstance {
  const ingress = deps.api?.trust.mode === 'app';
  const app = createApp(deps.log.child({ module: 'admin-http' }), {
    ...ADMIN_CONNECTION_LIMITS,
    perClient: deps.connectionsPerClient ?? ADMIN_CONNECTION_LIMITS.perClient,
    // Under ingress every admin arrives from the Supervisor's one address.
    ...(ingress ? { exempt: isIngressPeer } : {}),
  });
  // The API goes first: its OpenAPI document covers only routes registered after it, so the
  // remaining routes are added in a plugin, which loads after it.
  if (deps.api) registerAdminApi(app, deps.api);
  void app.register(async (routes) => {
    healthRoutes(routes, deps);
    if (deps.status) statusRoutes(routes, deps.status);
    webUiRoutes(routes, deps.webRoot ?? defaultWebRoot());
  });
  return app;
}
