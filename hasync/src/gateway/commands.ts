import type { HomeView } from '../cache/home-view.ts';
import { type CompressedState, compressState, toWireState } from '../protocol/compressed-state.ts';
import type { CommandType } from '../protocol/device-ws.ts';
import { domainOf, type HassServices, type HassServiceTarget } from '../protocol/home-assistant.ts';
import { authorizeCall } from '../scope/authorize-call.ts';
import { assertNever } from '../shared/errors.ts';
import type { DeviceRecord } from '../storage/device-store.ts';
import { eventFrame } from './change-encoder.ts';
import type { DeviceSession } from './device-session.ts';

/** Calls a service upstream on exactly the given entities. */
export interface ServiceCaller {
  callService(
    domain: string,
    service: string,
    serviceData: Record<string, unknown>,
    target: HassServiceTarget,
  ): Promise<unknown>;
}

/** What one command sees: the device as it is now, its scope, and the home. */
export interface CommandContext {
  readonly session: DeviceSession;
  readonly device: DeviceRecord;
  readonly scope: ReadonlySet<string>;
  readonly home: HomeView;
  readonly caller: ServiceCaller;
  /** Records a refused call in the audit log. */
  denied(domain: string, service: string, reason: string): void;
}

type Message = Record<string, unknown>;

/** Runs one validated command and replies on the session. */
export async function runCommand(ctx: CommandContext, id: number, type: CommandType, msg: Message) {
  const { session } = ctx;
  switch (type) {
    case 'supported_features':
    case 'hasync/whoami':
      return session.result(id, type === 'hasync/whoami' ? whoami(ctx) : null);
    case 'ping':
      return session.sendJson({ id, type: 'pong' });
    case 'get_states':
      return session.result(id, scopedStates(ctx));
    case 'get_config':
      return session.result(id, ctx.home.config() ?? null);
    case 'get_services':
      return session.result(id, scopedServices(ctx));
    case 'subscribe_entities':
      return subscribeEntities(ctx, id, msg.entity_ids as string[] | undefined);
    case 'subscribe_events':
      return subscribeEvents(ctx, id, msg.event_type as string | undefined);
    case 'unsubscribe_events':
      return unsubscribe(ctx, id, msg.subscription as number);
    case 'call_service':
      return callService(ctx, id, msg);
    case 'config/area_registry/list':
      return session.result(id, assignedAreas(ctx));
    case 'config/entity_registry/list_for_display':
      return session.result(id, entitiesForDisplay(ctx));
    case 'config/device_registry/list':
      return session.result(id, scopedDevices(ctx));
    default:
      return assertNever(type, 'command');
  }
}

function whoami({ device, scope }: CommandContext) {
  const { id, name, type, read_only, areas, entities, excluded } = device;
  return {
    device_id: id,
    name,
    type,
    read_only,
    areas,
    entities,
    excluded,
    entity_count: scope.size,
  };
}

function scopedStates({ scope, home }: CommandContext) {
  return [...scope].flatMap((entityId) => home.state(entityId) ?? []);
}

function scopedServices({ scope, home }: CommandContext): HassServices {
  const domains = new Set([...scope].map(domainOf));
  return Object.fromEntries(
    Object.entries(home.services()).filter(([domain]) => domains.has(domain)),
  );
}

function subscribeEntities(ctx: CommandContext, id: number, entityIds: string[] | undefined) {
  const filter = entityIds ? new Set(entityIds) : undefined;
  ctx.session.subscriptions.set(id, { id, kind: 'entities', filter });
  ctx.session.result(id, null);
  const added: Record<string, CompressedState> = {};
  for (const entityId of ctx.scope) {
    if (filter && !filter.has(entityId)) continue;
    const state = ctx.home.state(entityId);
    if (state) added[entityId] = compressState(toWireState(state));
  }
  ctx.session.send(eventFrame(id, JSON.stringify({ a: added })));
}

function subscribeEvents(ctx: CommandContext, id: number, eventType: string | undefined) {
  if (eventType !== 'state_changed') {
    ctx.session.error(id, 'unauthorized', 'devices may subscribe to state_changed events only');
    return;
  }
  ctx.session.subscriptions.set(id, { id, kind: 'state_changed' });
  ctx.session.result(id, null);
}

function unsubscribe(ctx: CommandContext, id: number, subscription: number) {
  if (!ctx.session.subscriptions.delete(subscription)) {
    ctx.session.error(id, 'not_found', `no subscription ${subscription}`);
    return;
  }
  ctx.session.result(id, null);
}

/** The outcome of a device's service call, for the WebSocket and REST edges alike. */
export type CallOutcome =
  | { readonly ok: true; readonly result: unknown; readonly entityIds: string[] }
  | {
      readonly ok: false;
      readonly code: 'unauthorized' | 'home_assistant_error';
      readonly message: string;
    };

export type CallScope = Pick<CommandContext, 'device' | 'scope' | 'home' | 'caller' | 'denied'>;

/** Authorizes a call against the scope, then makes it upstream on exactly the allowed entities. */
export async function performCall(
  ctx: CallScope,
  request: {
    domain: string;
    service: string;
    serviceData: Message;
    target: HassServiceTarget | undefined;
  },
): Promise<CallOutcome> {
  const verdict = authorizeCall(request, {
    scope: ctx.scope,
    readOnly: ctx.device.read_only,
    home: ctx.home,
  });
  if (!verdict.allowed) {
    ctx.denied(request.domain, request.service, verdict.reason);
    return { ok: false, code: 'unauthorized', message: verdict.reason };
  }
  try {
    const result = await ctx.caller.callService(
      request.domain,
      request.service,
      verdict.serviceData,
      {
        entity_id: verdict.entityIds,
      },
    );
    return { ok: true, result, entityIds: verdict.entityIds };
  } catch (err) {
    return { ok: false, code: 'home_assistant_error', message: (err as Error).message };
  }
}

async function callService(ctx: CommandContext, id: number, msg: Message) {
  const outcome = await performCall(ctx, {
    domain: msg.domain as string,
    service: msg.service as string,
    serviceData: (msg.service_data as Message | undefined) ?? {},
    target: msg.target as HassServiceTarget | undefined,
  });
  if (outcome.ok) ctx.session.result(id, outcome.result ?? { context: null, response: null });
  else ctx.session.error(id, outcome.code, outcome.message);
}

function assignedAreas({ device, home }: CommandContext) {
  return device.areas.flatMap((areaId) => home.areas().get(areaId) ?? []);
}

/**
 * Only the registry devices that scoped entities belong to, and only the fields a dashboard needs
 * to place them (an entity without its own area takes its device's).
 */
function scopedDevices({ scope, home }: CommandContext) {
  const ids = new Set<string>();
  for (const entityId of scope) {
    const deviceId = home.entityEntries().get(entityId)?.device_id;
    if (deviceId) ids.add(deviceId);
  }
  return [...ids].flatMap((deviceId) => {
    const entry = home.devices().get(deviceId);
    if (!entry) return [];
    const { id, name, name_by_user, area_id } = entry;
    return [{ id, name, name_by_user, area_id }];
  });
}

const ENTITY_CATEGORIES = { 0: 'config', 1: 'diagnostic' } as const;

function entitiesForDisplay({ scope, home }: CommandContext) {
  const entities = [];
  for (const entityId of scope) {
    const entry = home.entityEntries().get(entityId);
    if (!entry) continue;
    const row: Record<string, unknown> = { ei: entityId, pl: entry.platform };
    if (entry.device_id) row.di = entry.device_id;
    if (entry.area_id) row.ai = entry.area_id;
    if (entry.name) row.en = entry.name;
    if (entry.icon) row.ic = entry.icon;
    if (entry.hidden_by) row.hb = true;
    if (entry.entity_category === 'config') row.ec = 0;
    if (entry.entity_category === 'diagnostic') row.ec = 1;
    entities.push(row);
  }
  return { entity_categories: ENTITY_CATEGORIES, entities };
}
