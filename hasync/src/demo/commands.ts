import type { HassConfig, HassContext } from '../protocol/home-assistant.ts';
import { HasyncError } from '../shared/errors.ts';
import { toHassState } from './compressed-state.ts';
import type { HomeModel } from './home-model.ts';
import type { Publisher, Subscriber } from './publisher.ts';
import type { ServiceCall } from './service-call.ts';
import { serviceCatalog } from './service-catalog.ts';

/** What a session needs from the demo home. */
export interface SessionHost {
  readonly haVersion: string;
  readonly model: HomeModel;
  readonly publisher: Publisher;
  acceptsToken(token: string): boolean;
  config(): HassConfig;
  /** Runs a service with its effects; throws HasyncError('not_found' | 'invalid_format'). */
  callService(call: ServiceCall, userId: string): HassContext;
}

/** A command's session-side context. */
export interface CommandContext {
  readonly host: SessionHost;
  readonly session: Subscriber & { coalesce: boolean };
  readonly userId: string;
}

/** Returned by handlers that send their own replies (subscriptions, ping). */
export const REPLIED = Symbol('replied');

export type Message = Record<string, unknown> & { id: number; type: string };
type Handler = (ctx: CommandContext, msg: Message) => unknown;

function invalid(message: string): never {
  throw new HasyncError('invalid_format', message);
}

function optionalObject(value: unknown, key: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    invalid(`expected a dictionary for ${key}`);
  return value as Record<string, unknown>;
}

function serviceCall(msg: Message): ServiceCall {
  if (typeof msg.domain !== 'string' || typeof msg.service !== 'string') {
    invalid("required key not provided @ data['domain'] or data['service']");
  }
  return {
    domain: msg.domain,
    service: msg.service,
    service_data: optionalObject(msg.service_data, 'service_data'),
    target: optionalObject(msg.target, 'target'),
  };
}

function entityFilter(msg: Message): Set<string> | undefined {
  if (msg.entity_ids === undefined) return undefined;
  if (!Array.isArray(msg.entity_ids) || msg.entity_ids.some((e) => typeof e !== 'string')) {
    invalid('expected a list of entity ids for entity_ids');
  }
  return new Set(msg.entity_ids as string[]);
}

const HANDLERS: Record<string, Handler> = {
  supported_features: (ctx, msg) => {
    const features = optionalObject(msg.features, 'features');
    ctx.session.coalesce =
      features?.coalesce_messages === 1 || features?.coalesce_messages === true;
    return null;
  },
  ping: (ctx, msg) => {
    ctx.session.send(JSON.stringify({ id: msg.id, type: 'pong' }));
    return REPLIED;
  },
  get_states: (ctx) => [...ctx.host.model.states.values()].map(toHassState),
  get_config: (ctx) => ctx.host.config(),
  get_services: () => serviceCatalog(),
  'auth/current_user': (ctx) => ({
    id: ctx.userId,
    name: 'Demo User',
    is_owner: true,
    is_admin: true,
    credentials: [],
    mfa_modules: [],
  }),
  subscribe_entities: (ctx, msg) => {
    ctx.host.publisher.subscribeEntities(ctx.session, msg.id, entityFilter(msg));
    return REPLIED;
  },
  subscribe_events: (ctx, msg) => {
    if (msg.event_type !== undefined && typeof msg.event_type !== 'string') {
      invalid('expected str for event_type');
    }
    // Home Assistant's default, and its explicit spelling, is "*": every event type.
    const type = msg.event_type === '*' ? undefined : (msg.event_type as string | undefined);
    ctx.host.publisher.subscribeEvents(ctx.session, msg.id, type);
    return REPLIED;
  },
  unsubscribe_events: (ctx, msg) => {
    if (typeof msg.subscription !== 'number') invalid('expected int for subscription');
    if (!ctx.host.publisher.unsubscribe(ctx.session, msg.subscription)) {
      throw new HasyncError('not_found', 'Subscription not found.');
    }
    return null;
  },
  call_service: (ctx, msg) => {
    const context = ctx.host.callService(serviceCall(msg), ctx.userId);
    // Home Assistant's effects reach subscribers before the call's result.
    ctx.host.publisher.flush();
    return { context, response: null };
  },
  'config/area_registry/list': (ctx) => [...ctx.host.model.registry.areas.values()],
  'config/device_registry/list': (ctx) => [...ctx.host.model.registry.devices.values()],
  'config/entity_registry/list': (ctx) => [...ctx.host.model.registry.entities.values()],
  'config/entity_registry/list_for_display': (ctx) => ctx.host.model.registry.listForDisplay(),
};

/** Runs one authenticated command; returns the result to send, or REPLIED. */
export function runCommand(ctx: CommandContext, msg: Message): unknown {
  const handler = HANDLERS[msg.type];
  if (!handler) throw new HasyncError('unknown_command', 'Unknown command.');
  return handler(ctx, msg);
}
