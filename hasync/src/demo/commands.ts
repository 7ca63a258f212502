import { COMMAND_SCHEMAS } from '../protocol/ha-command-schemas.ts';
import type { HassConfig, HassContext } from '../protocol/home-assistant.ts';
import { Invalid } from '../protocol/voluptuous/vol.ts';
import { entityFilter, type FilterSpec } from '../scope/entity-filter.ts';
import { HasyncError } from '../shared/errors.ts';
import { SUBSCRIBE_ALLOWLIST } from '../upstream/subscribe-allowlist.ts';
import { toHassState } from './compressed-state.ts';
import type { DemoDashboards } from './dashboards.ts';
import { FRONTEND_COMMANDS } from './frontend-commands.ts';
import { haError } from './ha-error.ts';
import type { HomeModel } from './home-model.ts';
import type { Publisher, Subscriber } from './publisher.ts';
import { REGISTRY_COMMANDS } from './registry-commands.ts';
import type { ServiceCall, ServiceResponse } from './service-call.ts';
import { serviceCatalog } from './service-catalog.ts';
import { currentUser, type DemoUser } from './users.ts';

/** What a session needs from the demo home. */
export interface SessionHost {
  readonly haVersion: string;
  readonly model: HomeModel;
  readonly publisher: Publisher;
  readonly dashboards: DemoDashboards;
  /** The user an access token belongs to; undefined: refused. */
  userFor(token: string): DemoUser | undefined;
  config(): HassConfig;
  /** Runs a service with its effects; throws Invalid or HasyncError as Home Assistant would. */
  callService(
    call: ServiceCall,
    userId: string,
  ): { context: HassContext; response: ServiceResponse };
}

/** A command's session-side context. */
export interface CommandContext {
  readonly host: SessionHost;
  readonly session: Subscriber & { coalesce: boolean };
  readonly user: DemoUser;
}

/** Returned by handlers that send their own replies (subscriptions, ping). */
export const REPLIED = Symbol('replied');

export type Message = Record<string, unknown> & { id: number; type: string };
type Handler = (ctx: CommandContext, msg: Message) => unknown;

function unauthorized(): HasyncError {
  return new HasyncError('unauthorized', 'Unauthorized');
}

/** commands.py `handle_call_service`: its own error mapping, `response` only when asked. */
function callService(ctx: CommandContext, msg: Message) {
  const call: ServiceCall = {
    domain: msg.domain as string,
    service: msg.service as string,
    service_data: msg.service_data as Record<string, unknown> | undefined,
    target: msg.target as Record<string, unknown> | undefined,
    return_response: msg.return_response === true,
  };
  try {
    const { context, response } = ctx.host.callService(call, ctx.user.id);
    return call.return_response ? { context, response } : { context };
  } catch (err) {
    if (err instanceof Invalid) throw new HasyncError('invalid_format', err.message);
    if (err instanceof HasyncError) throw err;
    throw new HasyncError('unknown_error', err instanceof Error ? err.message : String(err));
  }
}

function subscribeEntities(ctx: CommandContext, msg: Message) {
  const ids = new Set(msg.entity_ids as string[] | undefined);
  const filter = entityFilter(msg.include as FilterSpec, msg.exclude as FilterSpec);
  const accepts =
    ids.size === 0 && !filter
      ? undefined
      : (id: string) => (ids.size === 0 || ids.has(id)) && (!filter || filter(id));
  ctx.host.publisher.subscribeEntities(
    ctx.session,
    msg.id,
    ctx.host.model.states.values(),
    accepts,
  );
  return REPLIED;
}

const HANDLERS: Record<string, Handler> = {
  supported_features: (ctx, msg) => {
    // connection.py `set_supported_features`: coalescing is on when the key is present at all.
    ctx.session.coalesce = 'coalesce_messages' in (msg.features as Record<string, number>);
    return null;
  },
  ping: (ctx, msg) => {
    ctx.session.send(JSON.stringify({ id: msg.id, type: 'pong' }));
    return REPLIED;
  },
  get_states: (ctx) => [...ctx.host.model.states.values()].map(toHassState),
  get_config: (ctx) => ctx.host.config(),
  get_services: () => serviceCatalog(),
  'auth/current_user': (ctx) => currentUser(ctx.user),
  subscribe_entities: subscribeEntities,
  subscribe_events: (ctx, msg) => {
    const type = msg.event_type as string;
    if (!ctx.user.is_admin && !SUBSCRIBE_ALLOWLIST.has(type)) throw unauthorized();
    ctx.host.publisher.subscribeEvents(ctx.session, msg.id, type === '*' ? undefined : type);
    return REPLIED;
  },
  unsubscribe_events: (ctx, msg) => {
    if (!ctx.host.publisher.unsubscribe(ctx.session, msg.subscription as number)) {
      throw haError('not_found', 'Subscription not found.');
    }
    return null;
  },
  call_service: callService,
  ...REGISTRY_COMMANDS,
  ...FRONTEND_COMMANDS,
};

/** The outcome of one command: its result, its error, or that the command is unknown. */
export type Outcome = 'unknown' | { ok: true; result: unknown } | { ok: false; error: unknown };

/** Validates and runs one command (connection.py: `handler(hass, self, schema(msg))`). */
export function runCommand(ctx: CommandContext, raw: { id: number; type: string }): Outcome {
  const handler = HANDLERS[raw.type];
  const schema = COMMAND_SCHEMAS[raw.type];
  if (!handler || !schema) return 'unknown';
  try {
    return { ok: true, result: handler(ctx, schema(raw, []) as Message) };
  } catch (error) {
    return { ok: false, error };
  }
}
