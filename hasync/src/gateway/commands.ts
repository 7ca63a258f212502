import type { ActionPinCheck } from '../access/action-pin.ts';
import { performCall, type ServiceCaller } from '../access/device-calls.ts';
import type { PerformedCall } from '../access/sensitive-calls.ts';
import type { HomeView } from '../cache/home-view.ts';
import { compressState, toWireState } from '../protocol/compressed-state.ts';
import { type CommandType, MAX_SUBSCRIPTIONS_PER_SOCKET } from '../protocol/device-ws.ts';
import { domainOf, type HassServices } from '../protocol/home-assistant.ts';
import { entityFilter, type FilterSpec } from '../scope/entity-filter.ts';
import { redactConfig } from '../scope/redact-config.ts';
import { type PictureRewriter, scopeState } from '../scope/scoped-state.ts';
import { assertNever } from '../shared/errors.ts';
import type { DeviceRecord } from '../storage/device-store.ts';
import type { UserDataStore } from '../storage/user-data-store.ts';
import { SUBSCRIBE_ALLOWLIST } from '../upstream/subscribe-allowlist.ts';
import type { UpstreamCommands } from '../upstream/upstream-commands.ts';
import { eventFrame } from './change-encoder.ts';
import type { DeviceSession } from './device-session.ts';
import type { DisplayChannel } from './display-channel.ts';
import { runFrontendCommand } from './frontend-commands.ts';
import { scopedDisplayList, scopedRegistries } from './registry-lists.ts';

/** What one command sees: the device as it is now, its scope, and the home. */
export interface CommandContext {
  readonly session: DeviceSession;
  readonly device: DeviceRecord;
  readonly scope: ReadonlySet<string>;
  readonly home: HomeView;
  readonly caller: ServiceCaller;
  /** Checks the code of calls that need the device's action PIN. */
  readonly pins: ActionPinCheck;
  /** Rewrites Home Assistant's picture URLs to HAsync's image proxy. */
  readonly picture: PictureRewriter;
  /** Records a refused call in the audit log. */
  denied(domain: string, service: string, reason: string): void;
  /** Records a call that succeeded (sensitive ones reach the audit log). */
  performed(call: PerformedCall): void;
  /** Home Assistant, for what HAsync forwards on the device's behalf (frontend-*.ts). */
  readonly upstream: UpstreamCommands;
  /** The frontend's per-device settings. */
  readonly userData: UserDataStore;
  /** Where the admin's wall-display settings and actions reach the device's screens. */
  readonly display: DisplayChannel;
  /** Every open session of this device (this one included). */
  sessions(): Iterable<DeviceSession>;
  /** Epoch milliseconds. */
  now(): number;
}

type Message = Record<string, unknown>;

/** The generic services of `homeassistant` that act on any scoped entity. */
const GENERIC_SERVICES = ['turn_on', 'turn_off', 'toggle'];

/** Runs one validated command and replies on the session. */
export async function runCommand(ctx: CommandContext, id: number, type: CommandType, msg: Message) {
  const { session } = ctx;
  switch (type) {
    case 'supported_features':
      // HA: websocket_api/connection.py set_supported_features — the key's presence turns it on.
      session.coalesce = 'coalesce_messages' in (msg.features as Message);
      return session.result(id, null);
    case 'hasync/whoami':
      return session.result(id, whoami(ctx));
    case 'hasync/display/subscribe':
      return subscribeDisplay(ctx, id);
    case 'auth/current_user':
      return session.result(id, currentUser(ctx.device));
    case 'ping':
      return session.sendJson({ id, type: 'pong' });
    case 'get_states':
      return session.result(id, scopedStates(ctx));
    case 'get_config':
      return session.result(id, scopedConfig(ctx));
    case 'get_services':
      return session.result(id, scopedServices(ctx));
    case 'subscribe_entities':
      return subscribeEntities(ctx, id, subscriptionFilter(msg));
    case 'subscribe_events':
      return subscribeEvents(ctx, id, (msg.event_type as string | undefined) ?? '*');
    case 'unsubscribe_events':
      return unsubscribe(ctx, id, msg.subscription as number);
    case 'call_service':
      return callService(ctx, id, msg);
    case 'config/area_registry/list':
      return session.result(id, scopedRegistries(ctx.home, ctx.scope).areas);
    case 'config/device_registry/list':
      return session.result(id, scopedRegistries(ctx.home, ctx.scope).devices);
    case 'config/floor_registry/list':
      return session.result(id, scopedRegistries(ctx.home, ctx.scope).floors);
    case 'config/label_registry/list':
      return session.result(id, scopedRegistries(ctx.home, ctx.scope).labels);
    case 'config/entity_registry/list_for_display':
      return session.result(id, scopedDisplayList(ctx.home, ctx.scope));
    case 'lovelace/config':
      session.showsGeneratedDashboard = true;
      return runFrontendCommand(ctx, id, type, msg);
    case 'get_panels':
    case 'frontend/get_themes':
    case 'frontend/get_translations':
    case 'frontend/get_icons':
    case 'frontend/get_user_data':
    case 'frontend/set_user_data':
    case 'frontend/subscribe_user_data':
    case 'lovelace/resources':
    case 'repairs/list_issues':
    case 'persistent_notification/subscribe':
    case 'history/stream':
    case 'logbook/event_stream':
    case 'recorder/info':
    case 'sensor/numeric_device_classes':
    case 'config/entity_registry/list':
    case 'config/entity_registry/get':
    case 'recorder/statistics_during_period':
    case 'auth/sign_path':
    case 'render_template':
    case 'subscribe_trigger':
    case 'execute_script':
    case 'fire_event':
    case 'search/related':
      return runFrontendCommand(ctx, id, type, msg);
    default:
      return assertNever(type, 'command');
  }
}

/** The device's own rule; `view_only` lists only its in-scope entities (the kiosk greys them). */
function whoami({ device, scope }: CommandContext) {
  const { id, name, type, read_only, areas, entities, excluded, view_only_domains } = device;
  return {
    device_id: id,
    name,
    type,
    read_only,
    areas,
    entities,
    excluded,
    view_only: device.view_only.filter((entityId) => scope.has(entityId)),
    view_only_domains,
    entity_count: scope.size,
  };
}

/** A device is a non-admin user named after it. HA: components/auth/__init__.py websocket_current_user */
function currentUser(device: DeviceRecord) {
  return {
    id: device.id,
    name: device.name,
    is_owner: false,
    is_admin: false,
    credentials: [{ auth_provider_type: 'hasync', auth_provider_id: null }],
    mfa_modules: [],
  };
}

function scopedConfig({ scope, home }: CommandContext) {
  const config = home.config();
  return config ? redactConfig(config, scope) : null;
}

/** The scoped states, each as the device may see it (see scoped-state.ts). */
function scopedStates({ scope, home, picture }: CommandContext) {
  return [...scope].flatMap((entityId) => {
    const state = home.state(entityId);
    return state ? [scopeState(state, scope, picture)] : [];
  });
}

/** The services of the domains in scope, plus homeassistant's generic turn_on/turn_off/toggle. */
function scopedServices({ scope, home }: CommandContext): HassServices {
  const domains = new Set([...scope].map(domainOf));
  const all = home.services();
  const out: HassServices = Object.fromEntries(
    Object.entries(all).filter(([domain]) => domains.has(domain)),
  );
  const generic = all.homeassistant;
  if (generic && scope.size > 0) {
    out.homeassistant = Object.fromEntries(
      Object.entries(generic).filter(([service]) => GENERIC_SERVICES.includes(service)),
    );
  }
  return out;
}

const NO_FILTER: FilterSpec = { domains: [], entities: [], entity_globs: [] };

/**
 * Which entities a `subscribe_entities` wants: `entity_ids` (a list or a comma-separated string;
 * none or empty means all) and the `include`/`exclude` filter of Home Assistant 2024.9+
 * (HA: helpers/entityfilter.py). Undefined when it wants every entity in scope.
 */
function subscriptionFilter(msg: Message): ((entityId: string) => boolean) | undefined {
  const value = msg.entity_ids;
  const list = typeof value === 'string' ? value.split(',').map((id) => id.trim()) : value;
  const ids = new Set(Array.isArray(list) ? (list as string[]).filter((id) => id !== '') : []);
  const filter = entityFilter(
    { ...NO_FILTER, ...(msg.include as Partial<FilterSpec> | undefined) },
    { ...NO_FILTER, ...(msg.exclude as Partial<FilterSpec> | undefined) },
  );
  if (ids.size === 0 && !filter) return undefined;
  return (entityId) => (ids.size === 0 || ids.has(entityId)) && (!filter || filter(entityId));
}

function subscribeEntities(
  ctx: CommandContext,
  id: number,
  filter: ((entityId: string) => boolean) | undefined,
) {
  ctx.session.subscriptions.set(id, { id, kind: 'entities', filter });
  ctx.session.result(id, null);
  const added: string[] = [];
  for (const entityId of ctx.scope) {
    if (filter && !filter(entityId)) continue;
    const raw = ctx.home.state(entityId);
    const state = raw && scopeState(raw, ctx.scope, ctx.picture);
    if (state)
      added.push(
        `${JSON.stringify(entityId)}:${JSON.stringify(compressState(toWireState(state)))}`,
      );
  }
  ctx.session.send(eventFrame(id, `{"a":{${added.join(',')}}}`));
}

/** HA: websocket_api/commands.py handle_subscribe_events — non-admins get the allow-list only. */
function subscribeEvents(ctx: CommandContext, id: number, eventType: string) {
  if (!SUBSCRIBE_ALLOWLIST.has(eventType)) {
    ctx.denied('subscribe_events', eventType.slice(0, 64), 'event type not allowed for devices');
    ctx.session.error(id, 'unauthorized', 'Unauthorized');
    return;
  }
  ctx.session.subscriptions.set(id, { id, kind: 'events', eventType });
  ctx.session.result(id, null);
}

/**
 * The device's wall-display settings now and on every change, and the admin's actions (reload,
 * identify), as events of this subscription until `unsubscribe_events`. It counts toward the
 * session's subscription cap like every subscribe command.
 */
function subscribeDisplay(ctx: CommandContext, id: number) {
  if (ctx.session.subscriptions.size >= MAX_SUBSCRIPTIONS_PER_SOCKET) {
    ctx.session.error(
      id,
      'not_allowed',
      `At most ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions per connection; unsubscribe first`,
    );
    return;
  }
  const cancel = ctx.display.subscribe(ctx.device.id, ctx.session, id);
  ctx.session.subscriptions.set(id, { id, kind: 'stream', cancel });
  ctx.session.result(id, null);
  ctx.session.send(eventFrame(id, JSON.stringify({ display: ctx.device.display })));
}

function unsubscribe(ctx: CommandContext, id: number, subscription: number) {
  const sub = ctx.session.subscriptions.get(subscription);
  if (sub?.kind === 'stream') sub.cancel();
  if (!ctx.session.subscriptions.delete(subscription)) {
    ctx.session.error(id, 'not_found', 'Subscription not found.');
    return;
  }
  ctx.session.result(id, null);
}

async function callService(ctx: CommandContext, id: number, msg: Message) {
  const outcome = await performCall(ctx, {
    domain: msg.domain as string,
    service: msg.service as string,
    serviceData: (msg.service_data as Message | undefined) ?? {},
    target: msg.target as Message | undefined,
    returnResponse: msg.return_response === true,
  });
  if (outcome.ok) ctx.session.result(id, outcome.result);
  else ctx.session.errorObject(id, outcome.error);
}
