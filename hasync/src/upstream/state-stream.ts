import type { Connection } from 'home-assistant-js-websocket';
import type { HassEvent, HassState } from '../protocol/home-assistant.ts';
import type { HomeSink } from './home-sink.ts';
import { parseEvent, parseStateChanged, parseStates, type StateChangedData } from './parse.ts';

/** A `state_changed` event with its data checked. */
export interface StateChangedEvent {
  readonly event: HassEvent;
  readonly data: StateChangedData;
}

/**
 * Whether `next` is the very state write `current` holds: Home Assistant gives every write a new
 * `last_updated`, so equal timestamps, context and state mean the same write seen twice.
 */
export function sameWrite(current: HassState | undefined, next: HassState | null): boolean {
  if (!current || !next) return !current && !next;
  return (
    current.last_updated === next.last_updated &&
    current.context.id === next.context.id &&
    current.state === next.state
  );
}

/**
 * The events of `buffered` that `get_states` did not already reflect, in order. Per entity, every
 * event up to the last one whose new state is the one the snapshot holds happened before the
 * snapshot was taken; the rest came after it. This holds however Home Assistant groups frames
 * (a coalesced frame may carry the get_states result and later events together).
 */
export function eventsAfterSnapshot(
  buffered: readonly StateChangedEvent[],
  states: readonly HassState[],
): StateChangedEvent[] {
  const snapshot = new Map(states.map((st) => [st.entity_id, st]));
  const lastContained = new Map<string, number>();
  buffered.forEach(({ data }, i) => {
    if (sameWrite(snapshot.get(data.entity_id), data.new_state)) {
      lastContained.set(data.entity_id, i);
    }
  });
  return buffered.filter(({ data }, i) => i > (lastContained.get(data.entity_id) ?? -1));
}

/**
 * Follows entity states the way Home Assistant's own clients see them: `subscribe_events` for
 * `state_changed` first, then `get_states`. Events that arrive before the snapshot is in the sink
 * are held; those the snapshot already contains are dropped, the rest applied in order. After
 * that every event becomes one change in the sink, carrying Home Assistant's event verbatim.
 */
export class StateStream {
  readonly #conn: Connection;
  readonly #sink: HomeSink;
  #held: StateChangedEvent[] | undefined = [];
  #closed = false;

  constructor(conn: Connection, sink: HomeSink) {
    this.#conn = conn;
    this.#sink = sink;
  }

  async subscribe(): Promise<void> {
    await this.#conn.subscribeMessage(
      (raw: unknown) => this.#onEvent(raw),
      { type: 'subscribe_events', event_type: 'state_changed' },
      { resubscribe: false },
    );
  }

  /** Every state, as Home Assistant sent it. Call after subscribe(). */
  async fetchStates(): Promise<HassState[]> {
    return parseStates(await this.#conn.sendMessagePromise({ type: 'get_states' }));
  }

  /** The sink now holds `states`: apply the held events it did not contain, then follow live. */
  goLive(states: readonly HassState[]): void {
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const change of eventsAfterSnapshot(held, states)) this.#apply(change);
  }

  close(): void {
    this.#closed = true;
    this.#held = undefined;
  }

  #onEvent(raw: unknown): void {
    if (this.#closed) return;
    const event = parseEvent(raw);
    const change = { event, data: parseStateChanged(event) };
    if (this.#held) this.#held.push(change);
    else this.#apply(change);
  }

  #apply({ event, data }: StateChangedEvent): void {
    const current = this.#sink.state(data.entity_id);
    // A write the sink already holds (an event a server sent after its get_states answer).
    if (sameWrite(current, data.new_state)) return;
    this.#sink.applyStateChanged(data.entity_id, data.new_state ?? undefined, event);
  }
}
