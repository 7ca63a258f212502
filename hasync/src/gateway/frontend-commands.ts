import type { FrontendCommandType } from '../protocol/device-ws.ts';
import { assertNever, HasyncError } from '../shared/errors.ts';
import type { UpstreamMessage } from '../upstream/upstream-commands.ts';
import type { CommandContext } from './commands.ts';
import { lovelaceConfig } from './frontend-dashboard.ts';
import { historyStream, logbookStream, statisticsDuringPeriod } from './frontend-history.ts';
import { getEntityEntry, scopedEntityEntries } from './frontend-registry.ts';
import { getUserData, setUserData, subscribeUserData } from './frontend-user-data.ts';

type Message = Record<string, unknown>;

/**
 * The panels a device's frontend may show, each only as upstream registers it and only when it
 * needs no admin: the default dashboard (generated from the scope, or the household dashboard the
 * admin chose, scoped: frontend-dashboard.ts), the
 * device's own profile, the map (it draws the scoped states) and history (scoped, see
 * frontend-history.ts). Never config, developer tools, logbook (it lists the whole home without an
 * entity filter), other dashboards, or integrations' panels.
 */
const DEVICE_PANELS = ['lovelace', 'profile', 'map', 'history'];

/** Keys of a validated message that are forwarded as they are. */
const TRANSLATION_KEYS = ['language', 'category', 'integration', 'config_flow'];
const ICON_KEYS = ['category', 'integration'];

/** Runs one of the frontend's commands (design §5c) and replies on the session. */
export async function runFrontendCommand(
  ctx: CommandContext,
  id: number,
  type: FrontendCommandType,
  msg: Message,
): Promise<void> {
  switch (type) {
    case 'get_panels':
      return reply(ctx, id, () => scopedPanels(ctx));
    case 'frontend/get_themes':
    case 'lovelace/resources':
    case 'recorder/info':
    case 'sensor/numeric_device_classes':
      // Themes, custom card URLs, the recorder's state and the numeric sensor device classes name
      // no entity: Home Assistant's own answer (unknown_command where it has no recorder).
      return reply(ctx, id, () => ctx.upstream.command({ type }));
    case 'frontend/get_translations':
      return reply(ctx, id, () => ctx.upstream.command(pick(type, msg, TRANSLATION_KEYS)));
    case 'frontend/get_icons':
      return reply(ctx, id, () => ctx.upstream.command(pick(type, msg, ICON_KEYS)));
    case 'frontend/get_user_data':
      return ctx.session.result(id, getUserData(ctx, msg.key as string | undefined));
    case 'frontend/set_user_data':
      return setUserData(ctx, id, msg.key as string, msg.value);
    case 'frontend/subscribe_user_data':
      return subscribeUserData(ctx, id, msg.key as string | undefined);
    case 'lovelace/config':
      return lovelaceConfig(ctx, id, msg.url_path as string | null | undefined, msg.force === true);
    case 'repairs/list_issues':
      // Repairs are the administrator's to fix; a device is shown none (HA's shape, empty).
      return ctx.session.result(id, { issues: [] });
    case 'persistent_notification/subscribe':
      return subscribeNotifications(ctx, id);
    case 'config/entity_registry/list':
      return ctx.session.result(id, scopedEntityEntries(ctx));
    case 'config/entity_registry/get':
      return getEntityEntry(ctx, id, msg.entity_id as string);
    case 'history/stream':
      return historyStream(ctx, id, msg);
    case 'recorder/statistics_during_period':
      return statisticsDuringPeriod(ctx, id, msg);
    case 'logbook/event_stream':
      return logbookStream(ctx, id, msg);
    case 'auth/sign_path':
      return signPath(ctx, id, msg.path as string);
    case 'render_template':
    case 'subscribe_trigger':
    case 'execute_script':
    case 'fire_event':
    case 'search/related':
      return refuse(ctx, id, type);
    default:
      return assertNever(type, 'frontend command');
  }
}

/** Replies with what `answer` gives, or with Home Assistant's error for it. */
async function reply(ctx: CommandContext, id: number, answer: () => Promise<unknown>) {
  try {
    ctx.session.result(id, await answer());
  } catch (err) {
    ctx.session.errorObject(id, forwardedError(err));
  }
}

/** Home Assistant's error as it sent it; a lost link reads as Home Assistant being away. */
export function forwardedError(err: unknown): { code: string; message: string } {
  if (!(err instanceof HasyncError)) throw err;
  if (err.code === 'unavailable' || err.code === 'connection_lost')
    return { code: 'home_assistant_error', message: 'Home Assistant is not connected' };
  return { code: err.code, message: err.message };
}

function pick(type: string, msg: Message, keys: readonly string[]): UpstreamMessage {
  return { type, ...Object.fromEntries(keys.filter((k) => k in msg).map((k) => [k, msg[k]])) };
}

/** HA: components/frontend/__init__.py websocket_get_panels, limited to DEVICE_PANELS. */
async function scopedPanels(ctx: CommandContext): Promise<Record<string, unknown>> {
  const panels = await ctx.upstream.command<Record<string, Record<string, unknown>>>({
    type: 'get_panels',
  });
  return Object.fromEntries(
    Object.entries(panels).filter(
      ([key, panel]) =>
        DEVICE_PANELS.includes(key) &&
        panel.url_path === key &&
        panel.component_name === key &&
        panel.require_admin === false,
    ),
  );
}

/**
 * No notification reaches a device (they are the household's, and name anything). The result,
 * then the first event with none, as Home Assistant sends them.
 * HA: components/persistent_notification/__init__.py websocket_subscribe_notifications
 */
function subscribeNotifications(ctx: CommandContext, id: number) {
  ctx.session.subscriptions.set(id, { id, kind: 'stream', cancel: () => {} });
  ctx.session.result(id, null);
  ctx.session.sendJson({ id, type: 'event', event: { type: 'current', notifications: {} } });
}

/** Home Assistant's image proxies, the only paths a device's signed URL can open on HAsync. */
const SIGNABLE =
  /^\/api\/(?:camera_proxy|camera_proxy_stream|image_proxy|media_player_proxy)\/([^/?#]+)$/;

/**
 * `auth/sign_path` (how the frontend loads camera thumbnails: HA frontend 20240307.0
 * src/data/camera.ts fetchThumbnailUrl): for an image proxy path of an entity in the scope, the
 * path with the device's picture token (checked again on every request by the image proxy) in
 * place of Home Assistant's `authSig`; any other path is refused, as nothing else on the device
 * port takes a signed URL.
 * HA: homeassistant/components/auth/__init__.py websocket_sign_path, http/auth.py async_sign_path
 */
function signPath(ctx: CommandContext, id: number, path: string) {
  const [pathname = '', query] = path.split('?');
  const match = SIGNABLE.exec(pathname);
  let entityId: string | undefined;
  try {
    entityId = match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
  } catch {
    entityId = undefined;
  }
  if (entityId === undefined || !ctx.scope.has(entityId) || path.includes('#')) {
    ctx.denied('websocket', 'auth/sign_path', 'not an in-scope image path');
    ctx.session.error(id, 'unauthorized', 'Unauthorized');
    return;
  }
  const plain = `/api/${pathname.split('/')[2]}/${entityId}${query === undefined ? '' : `?${query}`}`;
  ctx.session.result(id, { path: ctx.picture(entityId, plain) });
}

/** Templates, triggers, scripts, events and search reach beyond any scope: always refused. */
function refuse(ctx: CommandContext, id: number, type: string) {
  ctx.denied('websocket', type, 'command not allowed for devices');
  ctx.session.error(id, 'unauthorized', 'Unauthorized');
}
