import { compressState, diffStates, toWireState } from '../protocol/compressed-state.ts';
import type { HassState } from '../protocol/home-assistant.ts';
import {
  needsScoping,
  type PictureRewriter,
  rewritesPicture,
  scopeState,
} from '../scope/scoped-state.ts';
import type { StateChange } from '../shared/events.ts';

/** One change, serialized once for every socket that may see it. */
export interface EncodedChange {
  readonly entityId: string;
  readonly kind: 'a' | 'c' | 'r';
  /** The `subscribe_entities` event payload of this one change: `{"c":{…}}`, `{"a":…}`, `{"r":…}`. */
  readonly entities: string;
  /** The whole `state_changed` event for `subscribe_events`; built on first use, then kept. */
  stateChanged(): string;
  /**
   * This change as a scope may see it: itself, unless its states carry attributes that must be
   * scoped (entity lists, Home Assistant's picture tokens); then encoded for that scope, once —
   * once per device (per `picture`, each device's own) when a picture URL carries its token.
   */
  scoped(scope: ReadonlySet<string>, picture: PictureRewriter): EncodedChange;
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

function scopedChange(
  change: StateChange,
  scope: ReadonlySet<string>,
  picture: PictureRewriter,
): StateChange {
  const view = (state: HassState | undefined) => state && scopeState(state, scope, picture);
  const old = view(change.old);
  const next = view(change.new);
  const out: StateChange = { entity_id: change.entity_id, old, new: next };
  if (change.event) {
    const data = { ...change.event.data, old_state: old ?? null, new_state: next ?? null };
    out.event = { ...change.event, data };
  }
  return out;
}

function encodeOne(change: StateChange, firedAt: string): EncodedChange {
  const entityId = change.entity_id;
  const id = JSON.stringify(entityId);
  const stateChanged = stateChangedEvent(change, firedAt);
  const byScope = new WeakMap<ReadonlySet<string>, EncodedChange>();
  const byDevice = new WeakMap<
    PictureRewriter,
    { scope: ReadonlySet<string>; view: EncodedChange }
  >();
  const sensitive = needsScoping(change.old) || needsScoping(change.new);
  const perDevice = rewritesPicture(change.old) || rewritesPicture(change.new);
  const base = { entityId, stateChanged };
  const encoded = (kind: 'a' | 'c' | 'r', entities: string): EncodedChange => {
    const self: EncodedChange = {
      ...base,
      kind,
      entities,
      scoped(scope, picture) {
        if (!sensitive) return self;
        if (perDevice) {
          const mine = byDevice.get(picture);
          if (mine?.scope === scope) return mine.view;
          const view = encodeOne(scopedChange(change, scope, picture), firedAt);
          byDevice.set(picture, { scope, view });
          return view;
        }
        let view = byScope.get(scope);
        if (!view) {
          view = encodeOne(scopedChange(change, scope, picture), firedAt);
          byScope.set(scope, view);
        }
        return view;
      },
    };
    return self;
  };
  if (!change.new) return encoded('r', `{"r":[${id}]}`);
  if (!change.old) {
    return encoded('a', `{"a":{${id}:${JSON.stringify(compressState(toWireState(change.new)))}}}`);
  }
  const diff = diffStates(toWireState(change.old), toWireState(change.new));
  return encoded('c', `{"c":{${id}:${JSON.stringify(diff)}}}`);
}

/**
 * Serializes a batch once, one entry per change in order (one entity may change several times in
 * a batch: each change is its own event, as Home Assistant sends them). The `state_changed` form
 * is left until a `subscribe_events` subscriber asks for it.
 * HA: homeassistant/components/websocket_api/messages.py _state_diff_event
 */
export function encodeChanges(changes: readonly StateChange[], firedAt: string): EncodedChange[] {
  return changes.map((change) => encodeOne(change, firedAt));
}

/** Wraps an event payload for one subscription id, without re-serializing the payload. */
export function eventFrame(subscriptionId: number, payload: string): string {
  return `{"id":${subscriptionId},"type":"event","event":${payload}}`;
}
