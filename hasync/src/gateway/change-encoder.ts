import { compressState, diffStates, toWireState } from '../protocol/compressed-state.ts';
import type { StateChange } from '../shared/events.ts';

/** One change, serialized once for every socket that may see it. */
export interface EncodedChange {
  readonly entityId: string;
  readonly kind: 'a' | 'c' | 'r';
  /** The `subscribe_entities` event payload of this one change: `{"c":{…}}`, `{"a":…}`, `{"r":…}`. */
  readonly entities: string;
  /** The whole `state_changed` event for `subscribe_events`; built on first use, then kept. */
  stateChanged(): string;
}

/** Home Assistant's own event when the change came from one; otherwise one built like it. */
function stateChangedEvent(change: StateChange, firedAt: string): () => string {
  let json: string | undefined;
  return () => {
    json ??= JSON.stringify(
      change.event ?? {
        event_type: 'state_changed',
        data: {
          entity_id: change.entity_id,
          old_state: change.old ?? null,
          new_state: change.new ?? null,
        },
        origin: 'LOCAL',
        time_fired: firedAt,
        context: (change.new ?? change.old)?.context,
      },
    );
    return json;
  };
}

/**
 * Serializes a batch once, one entry per change in order (one entity may change several times in
 * a batch: each change is its own event, as Home Assistant sends them). The `state_changed` form
 * is left until a `subscribe_events` subscriber asks for it.
 * HA: homeassistant/components/websocket_api/messages.py _state_diff_event
 */
export function encodeChanges(changes: readonly StateChange[], firedAt: string): EncodedChange[] {
  return changes.map((change) => {
    const entityId = change.entity_id;
    const id = JSON.stringify(entityId);
    const stateChanged = stateChangedEvent(change, firedAt);
    if (!change.new) return { entityId, kind: 'r', entities: `{"r":[${id}]}`, stateChanged };
    if (!change.old) {
      const entities = `{"a":{${id}:${JSON.stringify(compressState(toWireState(change.new)))}}}`;
      return { entityId, kind: 'a', entities, stateChanged };
    }
    const diff = diffStates(toWireState(change.old), toWireState(change.new));
    return { entityId, kind: 'c', entities: `{"c":{${id}:${JSON.stringify(diff)}}}`, stateChanged };
  });
}

/** Wraps an event payload for one subscription id, without re-serializing the payload. */
export function eventFrame(subscriptionId: number, payload: string): string {
  return `{"id":${subscriptionId},"type":"event","event":${payload}}`;
}
