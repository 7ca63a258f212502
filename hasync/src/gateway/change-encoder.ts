import { compressState, diffStates, toWireState } from '../protocol/compressed-state.ts';
import type { StateChange } from '../shared/events.ts';

/** One change, serialized once for every socket that may see it. */
export interface EncodedChange {
  readonly entityId: string;
  readonly kind: 'a' | 'c' | 'r';
  /** `"entity_id":{…}` for `a`/`c`, the quoted id for `r`. */
  readonly fragment: string;
  /** The whole `state_changed` event for `subscribe_events`; built on first use, then kept. */
  stateChanged(): string;
}

function stateChangedEvent(change: StateChange, firedAt: string): () => string {
  let json: string | undefined;
  return () => {
    json ??= JSON.stringify({
      event_type: 'state_changed',
      data: {
        entity_id: change.entity_id,
        old_state: change.old ?? null,
        new_state: change.new ?? null,
      },
      origin: 'LOCAL',
      time_fired: firedAt,
      context: (change.new ?? change.old)?.context,
    });
    return json;
  };
}

/**
 * Serializes a batch once; every scope group then only joins the fragments it may see. The
 * `state_changed` form is left until a `subscribe_events` subscriber asks for it.
 */
export function encodeChanges(changes: readonly StateChange[], firedAt: string): EncodedChange[] {
  return changes.map((change) => {
    const entityId = change.entity_id;
    const id = JSON.stringify(entityId);
    const stateChanged = stateChangedEvent(change, firedAt);
    if (!change.new) return { entityId, kind: 'r', fragment: id, stateChanged };
    if (!change.old) {
      const fragment = `${id}:${JSON.stringify(compressState(toWireState(change.new)))}`;
      return { entityId, kind: 'a', fragment, stateChanged };
    }
    const diff = diffStates(toWireState(change.old), toWireState(change.new));
    return { entityId, kind: 'c', fragment: `${id}:${JSON.stringify(diff)}`, stateChanged };
  });
}

/** The `subscribe_entities` event payload for the changes `visible` admits, or undefined. */
export function entitiesPayload(
  encoded: readonly EncodedChange[],
  visible: (entityId: string, kind: 'a' | 'c' | 'r') => boolean,
): string | undefined {
  const parts: Record<'a' | 'c' | 'r', string[]> = { a: [], c: [], r: [] };
  for (const change of encoded) {
    if (visible(change.entityId, change.kind)) parts[change.kind].push(change.fragment);
  }
  const sections: string[] = [];
  if (parts.a.length > 0) sections.push(`"a":{${parts.a.join(',')}}`);
  if (parts.c.length > 0) sections.push(`"c":{${parts.c.join(',')}}`);
  if (parts.r.length > 0) sections.push(`"r":[${parts.r.join(',')}]`);
  return sections.length === 0 ? undefined : `{${sections.join(',')}}`;
}

/** Wraps an event payload for one subscription id, without re-serializing the payload. */
export function eventFrame(subscriptionId: number, payload: string): string {
  return `{"id":${subscriptionId},"type":"event","event":${payload}}`;
}
