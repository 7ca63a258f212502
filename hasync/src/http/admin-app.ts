import type { FastifyInstance } from 'fastify';
import type { Logger } from '../shared/logger.ts';
import { createApp } from './create-app.ts';
import { type HealthDeps, healthRoutes } from './routes/health.ts';

export type AdminAppDeps = HealthDeps & { readonly log: Logger };

/** The admin listener (ingress): admin REST API, events, and the admin web UI. */
export function createAdminApp(deps: AdminAppDeps): FastifyInstance {
  const app = createApp(deps.log.child({ module: 'admin-http' }));
  healthRoutes(app, deps);
  return app;
}
