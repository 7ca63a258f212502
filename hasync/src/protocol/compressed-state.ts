import type { HassContext, HassState } from './home-assistant.ts';

/**
 * The compressed entity format of Home Assistant's `subscribe_entities`: `a` adds entities in
 * full, `c` changes them with `+` (values to overlay) and `-` (attribute keys to drop), `r`
 * removes them. Timestamps are float epoch seconds.
 */
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

export interface EntitiesEvent {
  a?: Record<string, CompressedState>;
  c?: Record<string, CompressedDiff>;
  r?: string[];
}

function epochSeconds(iso: string): number {
  return Date.parse(iso) / 1000;
}

/** A context travels as its id alone when it has no parent and no user. */
export function compressContext(context: HassContext): string | HassContext {
  return context.parent_id === null && context.user_id === null ? context.id : context;
}

export function compressState(state: HassState): CompressedState {
  const out: CompressedState = {
    s: state.state,
    a: state.attributes,
    c: compressContext(state.context),
    lc: epochSeconds(state.last_changed),
  };
  if (state.last_updated !== state.last_changed) out.lu = epochSeconds(state.last_updated);
  return out;
}

function sameValue(a: unknown, b: unknown): boolean {
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

function attributesDiff(old: HassState, next: HassState, diff: CompressedDiff): void {
  if (old.attributes === next.attributes) return;
  let added: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(next.attributes)) {
    if (!(key in old.attributes) || !sameValue(old.attributes[key], value)) {
      added ??= {};
      added[key] = value;
    }
  }
  if (added) diff['+'].a = added;
  const removed = Object.keys(old.attributes).filter((key) => !(key in next.attributes));
  if (removed.length > 0) diff['-'] = { a: removed };
}

/** The `c` entry that turns `old` into `next`, as Home Assistant builds it. */
export function diffStates(old: HassState, next: HassState): CompressedDiff {
  const diff: CompressedDiff = { '+': {} };
  const add = diff['+'];
  if (old.state !== next.state) add.s = next.state;
  if (old.last_changed !== next.last_changed) add.lc = epochSeconds(next.last_changed);
  else if (old.last_updated !== next.last_updated) add.lu = epochSeconds(next.last_updated);
  const ctx = contextDiff(old.context, next.context);
  if (ctx !== undefined) add.c = ctx;
  attributesDiff(old, next, diff);
  return diff;
}
