import type { FastifyInstance } from 'fastify';
import type { HomeView } from '../cache/home-view.ts';
import type { DeviceService } from '../pairing/device-service.ts';
import type { PairingService } from '../pairing/pairing-service.ts';
import type { EventBus } from '../shared/bus.ts';
import type { HasyncEvents } from '../shared/events.ts';
import { VERSION } from '../shared/version.ts';
import type { AuditStore } from '../storage/audit-store.ts';
import type { UpstreamCommands } from '../upstream/upstream-commands.ts';
import { type AdminTrustConfig, adminTrust } from './admin-trust.ts';
import { openApiDocument } from './openapi.ts';
import { auditRoutes } from './routes/audit.ts';
import { dashboardRoutes } from './routes/dashboards.ts';
import { deviceRoutes } from './routes/devices.ts';
import { eventRoutes } from './routes/events.ts';
import { homeRoutes } from './routes/home.ts';
import { pairingRoutes } from './routes/pairings.ts';

/** Everything the admin REST API and its event stream read or change. */
export interface AdminApiDeps {
  readonly trust: AdminTrustConfig;
  readonly bus: EventBus<HasyncEvents>;
  readonly home: HomeView;
  readonly pairing: PairingService;
  readonly devices: DeviceService;
  readonly audit: AuditStore;
  /** Home Assistant, for the list of its dashboards. */
  readonly upstream?: UpstreamCommands;
  /** The device listener's bound port, for `pair_url` (read late: it may be configured as 0). */
  readonly devicePort: () => number;
  /** Where the device listener serves the kiosk client now, for `pair_url` (default `/`). */
  readonly kioskPath?: () => string;
  /** The device listener as a device on the network reaches it, ending in `/` (DeviceAddress). */
  readonly deviceUrl?: () => string;
}

/** Where the OpenAPI document generated from the route schemas is served. */
export const OPENAPI_PATH = '/api/openapi.json';

/**
 * Installs the admin trust check and the `/api/*` admin routes, and serves the OpenAPI document
 * of every route registered on `app` after this call (made on first request, see openapi.ts).
 */
export function registerAdminApi(app: FastifyInstance, deps: AdminApiDeps): void {
  adminTrust(app, deps.trust);
  const document = openApiDocument(app, {
    title: 'HAsync admin API',
    version: VERSION,
    description: 'Served on the admin listener (Home Assistant ingress).',
  });
  void app.register(async (api) => {
    pairingRoutes(api, deps);
    deviceRoutes(api, deps);
    homeRoutes(api, deps);
    dashboardRoutes(api, deps);
    auditRoutes(api, deps);
    eventRoutes(api, deps);
    api.get(OPENAPI_PATH, { schema: { hide: true } }, document);
  });
}
