import type { FastifyInstance } from 'fastify';
import { OVERVIEW_URL_PATH } from '../../gateway/frontend-dashboard.ts';
import { HasyncError } from '../../shared/errors.ts';
import type { UpstreamCommands } from '../../upstream/upstream-commands.ts';

export interface DashboardRoutesDeps {
  /** Home Assistant, asked for its dashboards with HAsync's own (admin) token. */
  readonly upstream?: UpstreamCommands;
}

const DASHBOARDS_SCHEMA = {
  summary:
    "Home Assistant's dashboards a device may be given (PATCH /api/devices/:id dashboard), the " +
    'default Overview first',
  tags: ['home'],
  response: {
    200: {
      type: 'array',
      items: {
        type: 'object',
        required: ['url_path', 'title', 'mode'],
        properties: {
          url_path: { type: 'string' },
          title: { type: 'string' },
          icon: { type: ['string', 'null'] },
          mode: { type: 'string', description: 'storage or yaml' },
        },
      },
    },
  },
} as const;

interface UpstreamDashboard {
  url_path?: unknown;
  title?: unknown;
  icon?: unknown;
  mode?: unknown;
}

/** HA: components/lovelace/websocket.py websocket_lovelace_dashboards (admin only). */
async function listDashboards(upstream: UpstreamCommands | undefined) {
  if (!upstream) throw new HasyncError('unavailable', 'Home Assistant is not connected');
  let listed: UpstreamDashboard[];
  try {
    listed = await upstream.command<UpstreamDashboard[]>({ type: 'lovelace/dashboards/list' });
  } catch (err) {
    throw new HasyncError('unavailable', 'Home Assistant did not list its dashboards', {
      cause: err,
    });
  }
  const dashboards = (Array.isArray(listed) ? listed : []).flatMap((d) =>
    typeof d.url_path === 'string'
      ? [
          {
            url_path: d.url_path,
            title: typeof d.title === 'string' ? d.title : d.url_path,
            icon: typeof d.icon === 'string' ? d.icon : null,
            mode: typeof d.mode === 'string' ? d.mode : 'storage',
          },
        ]
      : [],
  );
  return [
    { url_path: OVERVIEW_URL_PATH, title: 'Overview', icon: null, mode: 'storage' },
    ...dashboards,
  ];
}

/** `GET /api/dashboards`. */
export function dashboardRoutes(app: FastifyInstance, { upstream }: DashboardRoutesDeps): void {
  app.get('/api/dashboards', { schema: DASHBOARDS_SCHEMA }, async () => listDashboards(upstream));
}
