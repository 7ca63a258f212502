import type { HassContext, HassState } from '../protocol/home-assistant.ts';

/**
 * A demo entity's state. Timestamps are float epoch seconds, as Home Assistant keeps them and as
 * the compressed `subscribe_entities` format carries them (`lc`, `lu`). Never mutated: a change
 * replaces the whole object.
 */
export interface DemoState {
  readonly entity_id: string;
  readonly state: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly context: HassContext;
  /** last_changed, epoch seconds. */
  readonly lc: number;
  /** last_updated, epoch seconds. */
  readonly lu: number;
}

/** One entity in an `a` (added) map: `c` is the context id alone when it has no parent or user. */
export interface CompressedState {
  s: string;
  a: Readonly<Record<string, unknown>>;
  c: string | HassContext;
  lc: number;
  lu?: number;
}

/** One entity in a `c` (changed) map: `+` overlays values, `-` removes attribute keys. */
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

/** Home Assistant writes ISO 8601 with microseconds and an explicit UTC offset. */
export function isoTime(epochSeconds: number): string {
  const ms = Math.floor(epochSeconds * 1000);
  const micros = Math.floor((epochSeconds * 1e6) % 1000);
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, -1)}${String(micros).padStart(3, '0')}+00:00`;
}

export function compressContext(context: HassContext): string | HassContext {
  return context.parent_id === null && context.user_id === null ? context.id : context;
}

export function compressState(st: DemoState): CompressedState {
  const out: CompressedState = {
    s: st.state,
    a: st.attributes,
    c: compressContext(st.context),
    lc: st.lc,
  };
  if (st.lu !== st.lc) out.lu = st.lu;
  return out;
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

function attributesDiff(old: DemoState, next: DemoState, diff: CompressedDiff): void {
  if (old.attributes === next.attributes) return;
  let added: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(next.attributes)) {
    if (!sameValue(old.attributes[key], value) || !(key in old.attributes)) {
      added ??= {};
      added[key] = value;
    }
  }
  if (added) diff['+'].a = added;
  const removed = Object.keys(old.attributes).filter((key) => !(key in next.attributes));
  if (removed.length > 0) diff['-'] = { a: removed };
}

/** The `c` entry turning `old` into `next`, as Home Assistant's `_state_diff` builds it. */
export function diffStates(old: DemoState, next: DemoState): CompressedDiff {
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
