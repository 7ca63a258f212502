import type { HassState } from '../protocol/home-assistant.ts';
import { type PictureRewriter, scopeState } from '../scope/scoped-state.ts';
import type { UpstreamMessage } from '../upstream/upstream-commands.ts';
import { eventFrame } from './change-encoder.ts';
import type { CommandContext } from './commands.ts';
import { forwardedError } from './frontend-commands.ts';

/**
 * History and logbook for a device: forwarded to Home Assistant for the requested entities that
 * lie in the device's scope, and refused when none do or when the request names no entity (the
 * whole home's logbook). What comes back is scoped again: only in-scope entities, attributes
 * filtered as in states (scoped-state.ts), and logbook context naming an entity outside the
 * scope dropped. Where Home Assistant has no history or logbook, the device hears what Home
 * Assistant says to anyone: unknown_command.
 */

type Message = Record<string, unknown>;

const HISTORY_KEYS = [
  'start_time',
  'end_time',
  'include_start_time_state',
  'significant_changes_only',
  'minimal_response',
  'no_attributes',
];

/** Logbook entry keys a device receives; `context_*` only when its context entity is in scope. */
const LOGBOOK_ENTRY_KEYS = ['when', 'state', 'entity_id', 'name', 'message', 'icon', 'domain'];

/** HA: components/history/websocket_api.py ws_stream */
export function historyStream(ctx: CommandContext, id: number, msg: Message): Promise<void> {
  return forwardStream(ctx, id, msg, 'history', HISTORY_KEYS, (event) =>
    scopeHistoryEvent(event, ctx.scope, ctx.picture),
  );
}

const STATISTICS_KEYS = ['start_time', 'end_time', 'period', 'units', 'types'];

/**
 * A sensor's long-term statistics (its more-info chart): forwarded for the requested statistic
 * ids that are in-scope entities; with none, `{}` — what Home Assistant answers for ids it has
 * no statistics for. The answer keeps only in-scope ids.
 * HA: components/recorder/websocket_api.py ws_get_statistics_during_period
 */
export async function statisticsDuringPeriod(
  ctx: CommandContext,
  id: number,
  msg: Message,
): Promise<void> {
  if (!ctx.home.config()?.components.includes('recorder')) {
    ctx.session.error(id, 'unknown_command', 'Unknown command.');
    return;
  }
  const ids = (msg.statistic_ids as string[]).filter((statisticId) => ctx.scope.has(statisticId));
  if (ids.length === 0) {
    ctx.session.result(id, {});
    return;
  }
  const message: UpstreamMessage = {
    type: 'recorder/statistics_during_period',
    ...Object.fromEntries(STATISTICS_KEYS.filter((k) => k in msg).map((k) => [k, msg[k]])),
    statistic_ids: ids,
  };
  try {
    const result = await ctx.upstream.command<Record<string, unknown>>(message);
    ctx.session.result(
      id,
      Object.fromEntries(Object.entries(result).filter(([key]) => ctx.scope.has(key))),
    );
  } catch (err) {
    ctx.session.errorObject(id, forwardedError(err));
  }
}

/** HA: components/logbook/websocket_api.py ws_event_stream */
export function logbookStream(ctx: CommandContext, id: number, msg: Message): Promise<void> {
  if (msg.entity_ids === undefined || msg.device_ids !== undefined) {
    refuse(ctx, id, 'logbook/event_stream', 'logbook needs entity_ids and no device_ids');
    return Promise.resolve();
  }
  return forwardStream(ctx, id, msg, 'logbook', ['start_time', 'end_time'], (event) =>
    scopeLogbookEvent(event, ctx.scope),
  );
}

async function forwardStream(
  ctx: CommandContext,
  id: number,
  msg: Message,
  component: 'history' | 'logbook',
  keys: readonly string[],
  scope: (event: unknown) => unknown,
): Promise<void> {
  const type = msg.type as string;
  const { session } = ctx;
  if (!ctx.home.config()?.components.includes(component)) {
    // HA: websocket_api/connection.py async_handle — the command is not registered.
    session.error(id, 'unknown_command', 'Unknown command.');
    return;
  }
  const entityIds = (msg.entity_ids as string[]).filter((entityId) => ctx.scope.has(entityId));
  if (entityIds.length === 0) {
    refuse(ctx, id, type, 'no requested entity in scope');
    return;
  }
  const message: UpstreamMessage = {
    type,
    ...Object.fromEntries(keys.filter((k) => msg[k] !== undefined).map((k) => [k, msg[k]])),
    entity_ids: entityIds,
  };
  // Home Assistant sends its result before the events; the device hears them in that order.
  let early: string[] | undefined = [];
  const onEvent = (event: unknown) => {
    const frame = eventFrame(id, JSON.stringify(scope(event)));
    if (early) early.push(frame);
    else session.send(frame);
  };
  let cancel: () => Promise<void>;
  try {
    cancel = await ctx.upstream.subscribe(message, onEvent);
  } catch (err) {
    session.errorObject(id, forwardedError(err));
    return;
  }
  const end = () => {
    cancel().catch((err: unknown) => session.log.debug({ err }, 'upstream stream already ended'));
  };
  if (!session.connected) {
    end();
    return;
  }
  session.subscriptions.set(id, { id, kind: 'stream', cancel: end });
  session.result(id, null);
  session.sendFrames(early);
  early = undefined;
}

function refuse(ctx: CommandContext, id: number, type: string, reason: string): void {
  ctx.denied('websocket', type, reason);
  ctx.session.error(id, 'unauthorized', 'Unauthorized');
}

/** `{states: {entity_id: [{s, a, lu, lc}]}, start_time, end_time}` with only scoped entities. */
export function scopeHistoryEvent(
  event: unknown,
  scope: ReadonlySet<string>,
  picture: PictureRewriter,
): unknown {
  const { states, ...rest } = event as { states?: Record<string, Message[]> };
  if (!states) return event;
  const scoped: Record<string, Message[]> = {};
  for (const [entityId, rows] of Object.entries(states)) {
    if (!scope.has(entityId)) continue;
    scoped[entityId] = rows.map((row) => {
      if (typeof row.a !== 'object' || row.a === null) return row;
      const state = { entity_id: entityId, attributes: row.a } as unknown as HassState;
      return { ...row, a: scopeState(state, scope, picture).attributes };
    });
  }
  return { states: scoped, ...rest };
}

/** `{events: [...], …}` with only in-scope entries and context. */
export function scopeLogbookEvent(event: unknown, scope: ReadonlySet<string>): unknown {
  const { events, ...rest } = event as { events?: Message[] };
  if (!Array.isArray(events)) return event;
  const scoped = events
    .filter((entry) => typeof entry.entity_id === 'string' && scope.has(entry.entity_id))
    .map((entry) => {
      const context = entry.context_entity_id;
      const keepContext =
        context === undefined || (typeof context === 'string' && scope.has(context));
      return Object.fromEntries(
        Object.entries(entry).filter(
          ([key]) =>
            LOGBOOK_ENTRY_KEYS.includes(key) || (keepContext && key.startsWith('context_')),
        ),
      );
    });
  return { events: scoped, ...rest };
}
