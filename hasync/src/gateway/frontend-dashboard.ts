import type { HassEvent } from '../protocol/home-assistant.ts';
import { retargetNavigation, scopeDashboard } from '../scope/scope-dashboard.ts';
import type { CommandContext } from './commands.ts';
import { forwardedError } from './frontend-commands.ts';
import { scopedAreaIds } from './registry-lists.ts';

/** The admin API's name for Home Assistant's default dashboard, whose url_path is null upstream. */
export const OVERVIEW_URL_PATH = 'lovelace';

/** The upstream url_path of the household dashboard a device was given (null: the Overview). */
function upstreamUrlPath(dashboard: string): string | null {
  return dashboard === OVERVIEW_URL_PATH ? null : dashboard;
}

/**
 * The dashboard a device's frontend shows at its default panel (`url_path` null). Without a chosen
 * dashboard there is no stored config, so the frontend generates one from what the device sees
 * (HA frontend 20240307.0 ha-panel-lovelace.ts _fetchConfig on `config_not_found`). With one, it is
 * the household's dashboard from Home Assistant, scoped (scope/scope-dashboard.ts), its links to
 * its own views pointed at the default panel. Any other dashboard is unknown to a device, as Home
 * Assistant answers for a dashboard it does not have (the frontend, which has no panel for it
 * either, shows the default one instead).
 * HA: components/lovelace/websocket.py websocket_lovelace_config, _handle_errors
 */
export async function lovelaceConfig(
  ctx: CommandContext,
  id: number,
  urlPath: string | null | undefined,
  force: boolean,
): Promise<void> {
  if (urlPath !== undefined && urlPath !== null) {
    ctx.session.error(id, 'config_not_found', `Unknown config specified: ${urlPath}`);
    return;
  }
  const { dashboard } = ctx.device;
  if (dashboard === null) {
    ctx.session.error(id, 'config_not_found', 'No config found.');
    return;
  }
  let config: unknown;
  try {
    config = await ctx.upstream.command({
      type: 'lovelace/config',
      url_path: upstreamUrlPath(dashboard),
      force,
    });
  } catch (err) {
    ctx.session.errorObject(id, forwardedError(err));
    return;
  }
  const { home, scope } = ctx;
  const isEntity = (entityId: string) =>
    home.state(entityId) !== undefined || home.entityEntries().has(entityId);
  const scoped = scopeDashboard(config, { scope, isEntity, areas: scopedAreaIds(home, scope) });
  // Served at the device's default dashboard: its links to its own views follow it there.
  const source = upstreamUrlPath(dashboard);
  ctx.session.result(
    id,
    source === null ? scoped : retargetNavigation(scoped, source, OVERVIEW_URL_PATH),
  );
}

/**
 * `lovelace_updated` as a device's frontend should see it: for a device given a dashboard, only
 * that dashboard's updates, as updates of its default panel (`url_path` null) so that the frontend
 * fetches it again; for a device with a generated dashboard, as Home Assistant sent it.
 */
export function lovelaceUpdateFor(
  dashboard: string | null,
  event: HassEvent,
): HassEvent | undefined {
  if (dashboard === null) return event;
  const urlPath = event.data.url_path ?? null;
  if (urlPath !== upstreamUrlPath(dashboard)) return undefined;
  return { ...event, data: { ...event.data, url_path: null } };
}
