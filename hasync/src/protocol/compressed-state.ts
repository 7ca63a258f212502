import type { HassContext, HassState } from './home-assistant.ts';

/**
 * The compressed entity format of Home Assistant's `subscribe_entities`: `a` adds entities in
 * full, `c` changes them with `+` (values to overlay) and `-` (attribute keys to drop), `r`
 * removes them. Timestamps are float epoch seconds. Shared by the demo home (server side towards
 * HAsync) and the device gateway (server side towards devices).
 */

/** An entity's state as the compressed format sees it: times as float epoch seconds. */
export interface WireState {
  readonly state: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly context: HassContext;
  /** last_changed, epoch seconds. */
  readonly lc: number;
  /** last_updated, epoch seconds. */
  readonly lu: number;
}

export interface CompressedState {
  s: string;
  a: Readonly<Record<string, unknown>>;
  c: string | HassContext;
  lc: number;
  lu?: number;
}

export interface CompressedDiff {
  '+': {
    s?: string;
    a?: Record<string, unknown>;
    c?: string | Partial<HassContext>;
    lc?: number;
    lu?: number;
  };
  '-'?: { a: string[] };
}

/** The event payload of a `subscribe_entities` subscription. */
export interface EntitiesEvent {
  a?: Record<string, CompressedState>;
  c?: Record<string, CompressedDiff>;
  r?: string[];
}

/**
 * Home Assistant writes ISO 8601 with microseconds and an explicit UTC offset (Python's
 * `datetime.isoformat()`, which leaves the fraction out when it is zero). The float is rounded to
 * whole microseconds first, so `lc` and the ISO string name the same instant.
 */
export function isoTime(epochSeconds: number): string {
  const micros = Math.round(epochSeconds * 1e6);
  const ms = Math.floor(micros / 1000);
  const iso = new Date(ms).toISOString().slice(0, 19);
  const fraction = micros - Math.floor(micros / 1e6) * 1e6;
  return fraction === 0 ? `${iso}+00:00` : `${iso}.${String(fraction).padStart(6, '0')}+00:00`;
}

const FRACTION = /\.(\d+)/;

/**
 * Epoch seconds of an ISO 8601 time with its full fraction, computed as Python's
 * `datetime.timestamp()` does (whole microseconds divided by 10^6), so the float matches the one
 * Home Assistant puts in `lc`/`lu`. Date.parse alone would drop the microseconds.
 */
export function epochFromIso(iso: string): number {
  const fraction = FRACTION.exec(iso)?.[1] ?? '';
  const wholeMs = Date.parse(iso.replace(FRACTION, ''));
  const micros = Number(fraction.slice(0, 6).padEnd(6, '0'));
  return (wholeMs * 1000 + micros) / 1e6;
}

/** A `get_states` state as the compressed format sees it. */
export function toWireState(state: HassState): WireState {
  const lc = epochFromIso(state.last_changed);
  const lu = state.last_updated === state.last_changed ? lc : epochFromIso(state.last_updated);
  return { state: state.state, attributes: state.attributes, context: state.context, lc, lu };
}

/** A context travels as its id alone when it has no parent and no user. */
export function compressContext(context: HassContext): string | HassContext {
  return context.parent_id === null && context.user_id === null ? context.id : context;
}

export function compressState(st: WireState): CompressedState {
  const out: CompressedState = {
    s: st.state,
    a: st.attributes,
    c: compressContext(st.context),
    lc: st.lc,
  };
  if (st.lu !== st.lc) out.lu = st.lu;
  return out;
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function contextDiff(old: HassContext, next: HassContext): CompressedDiff['+']['c'] {
  const ctx: Partial<HassContext> = {};
  if (old.parent_id !== next.parent_id) ctx.parent_id = next.parent_id;
  if (old.user_id !== next.user_id) ctx.user_id = next.user_id;
  if (old.id !== next.id) {
    if (Object.keys(ctx).length === 0) return next.id;
    ctx.id = next.id;
  }
  return Object.keys(ctx).length === 0 ? undefined : ctx;
}

function attributesDiff(old: WireState, next: WireState, diff: CompressedDiff): void {
  if (old.attributes === next.attributes) return;
  let added: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(next.attributes)) {
    // messages.py `_state_diff` compares `old_attributes.get(key) != value`: a new key whose value
    // is None is no change.
    if (!sameValue(old.attributes[key] ?? null, value)) {
      added ??= {};
      added[key] = value;
    }
  }
  if (added) diff['+'].a = added;
  const removed = Object.keys(old.attributes).filter((key) => !(key in next.attributes));
  if (removed.length > 0) diff['-'] = { a: removed };
}

/** The `c` entry that turns `old` into `next`, as Home Assistant's `_state_diff` builds it. */
export function diffStates(old: WireState, next: WireState): CompressedDiff {
  const diff: CompressedDiff = { '+': {} };
  const add = diff['+'];
  if (old.state !== next.state) add.s = next.state;
  if (old.lc !== next.lc) add.lc = next.lc;
  else if (old.lu !== next.lu) add.lu = next.lu;
  const ctx = contextDiff(old.context, next.context);
  if (ctx !== undefined) add.c = ctx;
  attributesDiff(old, next, diff);
  return diff;
}
