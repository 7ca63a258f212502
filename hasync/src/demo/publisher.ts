import { compressState, diffStates, isoTime } from '../protocol/compressed-state.ts';
import type { HassContext } from '../protocol/home-assistant.ts';
import { type DemoState, toHassState } from './compressed-state.ts';
import { newContext, nowSeconds } from './home-model.ts';

/** The part of a client session the publisher needs: its outgoing queue. */
export interface Subscriber {
  send(text: string): void;
}

interface EntitySub {
  kind: 'entities';
  id: number;
  /** Does the subscription want this entity (`entity_ids` and include/exclude)? */
  accepts: ((entityId: string) => boolean) | undefined;
}

interface EventSub {
  kind: 'events';
  id: number;
  /** undefined: every event type (`*`). */
  eventType: string | undefined;
}

type Subscription = EntitySub | EventSub;

function eventFrame(id: number, eventJson: string): string {
  return `{"id":${id},"type":"event","event":${eventJson}}`;
}

/**
 * Delivers state changes and events to subscriptions the moment they happen, one message per
 * change as Home Assistant does (websocket_api/messages.py `_state_diff_event`: one entity per
 * `subscribe_entities` event, never merged). Each change is serialised once and shared by every
 * subscriber that wants it; the sessions' writers join what queued up in one turn when the client
 * asked for coalescing.
 */
export class Publisher {
  readonly #subs = new Map<Subscriber, Map<number, Subscription>>();
  #stateEventSubs = 0;
  #entitySubs = 0;

  /** The model's change listener. */
  stateChanged(entityId: string, old: DemoState | undefined, next: DemoState | undefined): void {
    if (this.#entitySubs === 0 && this.#stateEventSubs === 0) return;
    const diff = this.#entitySubs > 0 ? JSON.stringify(stateDiffEvent(entityId, old, next)) : '';
    const event = this.#stateEventSubs > 0 ? stateChangedJson(entityId, old, next) : '';
    for (const [sub, subs] of this.#subs) {
      for (const s of subs.values()) {
        if (s.kind === 'entities') {
          if (!s.accepts || s.accepts(entityId)) sub.send(eventFrame(s.id, diff));
        } else if (s.eventType === undefined || s.eventType === 'state_changed') {
          sub.send(eventFrame(s.id, event));
        }
      }
    }
  }

  /** commands.py `handle_subscribe_entities`: result, then every wanted state as `a`. */
  subscribeEntities(
    sub: Subscriber,
    id: number,
    states: Iterable<DemoState>,
    accepts: ((entityId: string) => boolean) | undefined,
  ): void {
    this.#add(sub, { kind: 'entities', id, accepts });
    this.#entitySubs++;
    sub.send(JSON.stringify({ id, type: 'result', success: true, result: null }));
    const added: Record<string, unknown> = {};
    for (const st of states) {
      if (!accepts || accepts(st.entity_id)) added[st.entity_id] = compressState(st);
    }
    sub.send(eventFrame(id, JSON.stringify({ a: added })));
  }

  subscribeEvents(sub: Subscriber, id: number, eventType: string | undefined): void {
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

  /** Fires a non-state event (registry updates) as core.py `EventBus.async_fire` would. */
  fireEvent(eventType: string, data: Record<string, unknown>, context?: HassContext): void {
    const json = JSON.stringify({
      event_type: eventType,
      data,
      origin: 'LOCAL',
      time_fired: isoTime(nowSeconds()),
      context: context ?? newContext(),
    });
    for (const [sub, subs] of this.#subs) {
      for (const s of subs.values()) {
        if (s.kind === 'events' && (s.eventType === undefined || s.eventType === eventType)) {
          sub.send(eventFrame(s.id, json));
        }
      }
    }
  }

  close(): void {
    this.#subs.clear();
    this.#stateEventSubs = 0;
    this.#entitySubs = 0;
  }

  #add(sub: Subscriber, s: Subscription): void {
    let subs = this.#subs.get(sub);
    if (!subs) {
      subs = new Map();
      this.#subs.set(sub, subs);
    }
    subs.set(s.id, s);
  }
}

/** messages.py `_state_diff_event`: `r`, `a` or `c` for exactly one entity. */
function stateDiffEvent(entityId: string, old: DemoState | undefined, next: DemoState | undefined) {
  if (!next) return { r: [entityId] };
  if (!old) return { a: { [entityId]: compressState(next) } };
  return { c: { [entityId]: diffStates(old, next) } };
}

/** core.py `Event._as_dict` of a `state_changed`, fired at the new state's `last_updated`. */
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
    time_fired: isoTime(next?.lu ?? nowSeconds()),
    context,
  });
}
