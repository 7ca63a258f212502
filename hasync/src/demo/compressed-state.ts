import { isoTime, type WireState } from '../protocol/compressed-state.ts';
import type { HassState } from '../protocol/home-assistant.ts';

/**
 * A demo entity's state. Timestamps are float epoch seconds, as Home Assistant keeps them and as
 * the compressed `subscribe_entities` format carries them (`lc`, `lu`). Never mutated: a change
 * replaces the whole object.
 */
export interface DemoState extends WireState {
  readonly entity_id: string;
  /** last_reported (Home Assistant 2024.4+), epoch seconds; moves on every write (default lu). */
  readonly lr?: number;
}

/** core.py `State._as_dict`: the same instant is written once and reused, as HA does. */
export function toHassState(st: DemoState): HassState {
  const lastChanged = isoTime(st.lc);
  const lastUpdated = st.lu === st.lc ? lastChanged : isoTime(st.lu);
  const lr = st.lr ?? st.lu;
  const lastReported = lr === st.lc ? lastChanged : lr === st.lu ? lastUpdated : isoTime(lr);
  return {
    entity_id: st.entity_id,
    state: st.state,
    attributes: st.attributes as Record<string, unknown>,
    last_changed: lastChanged,
    last_reported: lastReported,
    last_updated: lastUpdated,
    context: st.context,
  };
}
