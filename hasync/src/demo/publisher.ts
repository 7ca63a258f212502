import {
  type CompressedDiff,
  type CompressedState,
  compressState,
  diffStates,
  type EntitiesEvent,
  isoTime,
} from '../protocol/compressed-state.ts';
import { type DemoState, toHassState } from './compressed-state.ts';

/** The part of a client session the publisher needs. */
export interface Subscriber {
  send(text: string): void;
  /** The client enabled `coalesce_messages`: several messages may go out as one JSON array. */
  readonly coalesce: boolean;
}

interface EntitySub {
  kind: 'entities';
  id: number;
  filter: ReadonlySet<string> | undefined;
}

interface EventSub {
  kind: 'events';
  id: number;
  /** undefined: every event type. */
  eventType: string | undefined;
}

type Subscription = EntitySub | EventSub;

function eventFrame(id: number, eventJson: string): string {
  return `{"id":${id},"type":"event","event":${eventJson}}`;
}

/**
 * Delivers state changes and events to subscriptions. Changes are coalesced per event-loop turn:
 * each flush encodes one `subscribe_entities` payload, serialises it once and shares it among
 * all unfiltered subscribers, so cost grows with changes plus subscribers, not their product.
 */
export class Publisher {
  readonly #states: ReadonlyMap<string, DemoState>;
  readonly #subs = new Map<Subscriber, Map<number, Subscription>>();
  /** Entity id → its state before the first change since the last flush. */
  #pending = new Map<string, DemoState | undefined>();
  #stateEvents: string[] = [];
  #stateEventSubs = 0;
  #entitySubs = 0;
  #timer: NodeJS.Immediate | undefined;

  constructor(states: ReadonlyMap<string, DemoState>) {
    this.#states = states;
  }

  /** The model's change listener. */
  stateChanged(entityId: string, old: DemoState | undefined, next: DemoState | undefined): void {
    if (!this.#pending.has(entityId)) this.#pending.set(entityId, old);
    if (this.#stateEventSubs > 0) this.#stateEvents.push(stateChangedJson(entityId, old, next));
    this.#timer ??= setImmediate(() => this.flush());
  }

  subscribeEntities(sub: Subscriber, id: number, filter: ReadonlySet<string> | undefined): void {
    this.flush();
    this.#add(sub, { kind: 'entities', id, filter });
    this.#entitySubs++;
    sub.send(JSON.stringify({ id, type: 'result', success: true, result: null }));
    const added: EntitiesEvent['a'] = {};
    for (const [entityId, st] of this.#states) {
      if (!filter || filter.has(entityId)) added[entityId] = compressState(st);
    }
    sub.send(eventFrame(id, JSON.stringify({ a: added })));
  }

  subscribeEvents(sub: Subscriber, id: number, eventType: string | undefined): void {
    this.flush();
    this.#add(sub, { kind: 'events', id, eventType });
    if (eventType === undefined || eventType === 'state_changed') this.#stateEventSubs++;
    sub.send(JSON.stringify({ id, type: 'result', success: true, result: null }));
  }

  unsubscribe(sub: Subscriber, id: number): boolean {
    const subs = this.#subs.get(sub);
    const found = subs?.get(id);
    if (!subs || !found) return false;
    subs.delete(id);
    if (found.kind === 'entities') this.#entitySubs--;
    if (found.kind === 'events' && (found.eventType ?? 'state_changed') === 'state_changed') {
      this.#stateEventSubs--;
    }
    return true;
  }

  /** Forgets every subscription of a closed session. */
  drop(sub: Subscriber): void {
    for (const id of [...(this.#subs.get(sub)?.keys() ?? [])]) this.unsubscribe(sub, id);
    this.#subs.delete(sub);
  }

  /** Sends a non-state event (registry updates) after any pending state changes. */
  fireEvent(eventType: string, data: Record<string, unknown>): void {
    this.flush();
    const json = JSON.stringify({
      event_type: eventType,
      data,
      origin: 'LOCAL',
      time_fired: isoTime(Date.now() / 1000),
      context: { id: '', parent_id: null, user_id: null },
    });
    for (const [sub, subs] of this.#subs) {
      for (const s of subs.values()) {
        if (s.kind === 'events' && (s.eventType === undefined || s.eventType === eventType)) {
          sub.send(eventFrame(s.id, json));
        }
      }
    }
  }

  /** Sends everything pending now (also run before results, so effects arrive before replies). */
  flush(): void {
    if (this.#timer) clearImmediate(this.#timer);
    this.#timer = undefined;
    const pending = this.#pending;
    const stateEvents = this.#stateEvents;
    if (pending.size === 0 && stateEvents.length === 0) return;
    this.#pending = new Map();
    this.#stateEvents = [];
    // Encoding is skipped entirely while nobody subscribes to entities.
    const payload = this.#entitySubs > 0 ? this.#entitiesPayload(pending) : undefined;
    const shared = payload ? JSON.stringify(payload) : undefined;
    for (const [sub, subs] of this.#subs) {
      for (const s of subs.values()) {
        if (s.kind === 'entities') sendEntities(sub, s, payload, shared);
        else if (s.eventType === undefined || s.eventType === 'state_changed') {
          sendEvents(sub, s.id, stateEvents);
        }
      }
    }
  }

  close(): void {
    if (this.#timer) clearImmediate(this.#timer);
    this.#timer = undefined;
    this.#subs.clear();
    this.#stateEventSubs = 0;
    this.#entitySubs = 0;
    this.#pending = new Map();
    this.#stateEvents = [];
  }

  #add(sub: Subscriber, s: Subscription): void {
    let subs = this.#subs.get(sub);
    if (!subs) {
      subs = new Map();
      this.#subs.set(sub, subs);
    }
    subs.set(s.id, s);
  }

  #entitiesPayload(pending: Map<string, DemoState | undefined>): EntitiesEvent | undefined {
    const added: Record<string, CompressedState> = {};
    const changed: Record<string, CompressedDiff> = {};
    const removed: string[] = [];
    let any = false;
    for (const [entityId, old] of pending) {
      const next = this.#states.get(entityId);
      if (old === next) continue;
      any = true;
      if (!next) removed.push(entityId);
      else if (!old) added[entityId] = compressState(next);
      else changed[entityId] = diffStates(old, next);
    }
    return any ? packPayload(added, changed, removed) : undefined;
  }
}

function packPayload(
  added: Record<string, CompressedState>,
  changed: Record<string, CompressedDiff>,
  removed: string[],
): EntitiesEvent {
  const out: EntitiesEvent = {};
  if (Object.keys(added).length > 0) out.a = added;
  if (Object.keys(changed).length > 0) out.c = changed;
  if (removed.length > 0) out.r = removed;
  return out;
}

function sendEntities(
  sub: Subscriber,
  s: EntitySub,
  payload: EntitiesEvent | undefined,
  shared: string | undefined,
): void {
  if (!payload || !shared) return;
  if (!s.filter) {
    sub.send(eventFrame(s.id, shared));
    return;
  }
  const filtered = filterPayload(payload, s.filter);
  if (filtered) sub.send(eventFrame(s.id, JSON.stringify(filtered)));
}

function pick<T>(map: Record<string, T> | undefined, filter: ReadonlySet<string>) {
  const out: Record<string, T> = {};
  for (const [entityId, value] of Object.entries(map ?? {})) {
    if (filter.has(entityId)) out[entityId] = value;
  }
  return out;
}

function filterPayload(
  payload: EntitiesEvent,
  filter: ReadonlySet<string>,
): EntitiesEvent | undefined {
  const out = packPayload(
    pick(payload.a, filter),
    pick(payload.c, filter),
    payload.r?.filter((entityId) => filter.has(entityId)) ?? [],
  );
  return out.a || out.c || out.r ? out : undefined;
}

function sendEvents(sub: Subscriber, id: number, events: string[]): void {
  if (events.length === 0) return;
  if (sub.coalesce && events.length > 1) {
    sub.send(`[${events.map((e) => eventFrame(id, e)).join(',')}]`);
    return;
  }
  for (const e of events) sub.send(eventFrame(id, e));
}

function stateChangedJson(
  entityId: string,
  old: DemoState | undefined,
  next: DemoState | undefined,
): string {
  const context = (next ?? old)?.context;
  return JSON.stringify({
    event_type: 'state_changed',
    data: {
      entity_id: entityId,
      old_state: old ? toHassState(old) : null,
      new_state: next ? toHassState(next) : null,
    },
    origin: 'LOCAL',
    time_fired: isoTime((next ?? old)?.lu ?? Date.now() / 1000),
    context,
  });
}
