import { isoTime, type WireState } from '../protocol/compressed-state.ts';
import type { HassState } from '../protocol/home-assistant.ts';

/**
 * A demo entity's state. Timestamps are float epoch seconds, as Home Assistant keeps them and as
 * the compressed `subscribe_entities` format carries them (`lc`, `lu`). Never mutated: a change
 * replaces the whole object.
 */
export interface DemoState extends WireState {
  readonly entity_id: string;
}

export function toHassState(st: DemoState): HassState {
  const lastChanged = isoTime(st.lc);
  return {
    entity_id: st.entity_id,
    state: st.state,
    attributes: st.attributes as Record<string, unknown>,
    last_changed: lastChanged,
    last_updated: st.lu === st.lc ? lastChanged : isoTime(st.lu),
    context: st.context,
  };
}
