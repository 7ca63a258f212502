import type { HassContext, HassState } from '../protocol/home-assistant.ts';
import { HasyncError } from '../shared/errors.ts';

/** Upstream states decoded from one `subscribe_entities` event. */
export interface DecodedStates {
  updated: HassState[];
  removed: string[];
}

type Obj = Record<string, unknown>;

function malformed(what: string): never {
  throw new HasyncError('upstream_malformed', `malformed subscribe_entities event: ${what}`);
}

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function time(seconds: unknown, what: string): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds))
    malformed(`${what} is not a number`);
  return new Date(seconds * 1000).toISOString();
}

function context(value: unknown, base: HassContext | undefined): HassContext {
  if (typeof value === 'string')
    return { ...(base ?? { parent_id: null, user_id: null }), id: value };
  if (!isObj(value)) malformed('context is neither an id nor an object');
  return {
    ...(base ?? { id: '', parent_id: null, user_id: null }),
    ...(value as Partial<HassContext>),
  };
}

/** An `a` entry: a whole state (Home Assistant's compressed form). */
function decodeAdded(entityId: string, value: unknown): HassState {
  if (!isObj(value) || typeof value.s !== 'string' || !isObj(value.a))
    malformed(`added ${entityId}`);
  const lastChanged = time(value.lc, `${entityId}.lc`);
  return {
    entity_id: entityId,
    state: value.s,
    attributes: value.a,
    last_changed: lastChanged,
    last_updated: value.lu === undefined ? lastChanged : time(value.lu, `${entityId}.lu`),
    context: context(value.c, undefined),
  };
}

/** A `c` entry applied to the current state, as home-assistant-js-websocket applies it. */
function decodeChanged(old: HassState, value: unknown): HassState {
  if (!isObj(value)) malformed(`change of ${old.entity_id}`);
  const add = value['+'];
  const remove = value['-'];
  if ((add !== undefined && !isObj(add)) || (remove !== undefined && !isObj(remove))) {
    malformed(`change of ${old.entity_id}`);
  }
  const next: HassState = { ...old };
  if (add) {
    if (typeof add.s === 'string') next.state = add.s;
    if (add.c !== undefined) next.context = context(add.c, old.context);
    if (add.lc !== undefined) next.last_changed = next.last_updated = time(add.lc, 'lc');
    else if (add.lu !== undefined) next.last_updated = time(add.lu, 'lu');
  }
  const addAttrs = add?.a;
  const removeAttrs = remove?.a;
  if (addAttrs !== undefined || removeAttrs !== undefined) {
    if (
      (addAttrs !== undefined && !isObj(addAttrs)) ||
      (removeAttrs !== undefined && !Array.isArray(removeAttrs))
    ) {
      malformed(`attributes of ${old.entity_id}`);
    }
    const attributes = { ...old.attributes, ...addAttrs };
    for (const key of removeAttrs ?? []) delete attributes[String(key)];
    next.attributes = attributes;
  }
  return next;
}

/**
 * Decodes one event against the states known so far. Never edits a known state: changed
 * entities get new objects. Changes for unknown entities are skipped (the client library does
 * the same); anything of the wrong shape throws HasyncError('upstream_malformed').
 */
export function decodeEntitiesEvent(
  event: unknown,
  known: (entityId: string) => HassState | undefined,
): DecodedStates {
  if (!isObj(event)) malformed('not an object');
  const out: DecodedStates = { updated: [], removed: [] };
  const pending = new Map<string, HassState>();
  const current = (id: string) => pending.get(id) ?? known(id);
  if (event.a !== undefined) {
    if (!isObj(event.a)) malformed('a is not an object');
    for (const [id, value] of Object.entries(event.a)) pending.set(id, decodeAdded(id, value));
  }
  if (event.r !== undefined) {
    if (!Array.isArray(event.r) || event.r.some((id) => typeof id !== 'string')) malformed('r');
    for (const id of event.r as string[]) {
      pending.delete(id);
      out.removed.push(id);
    }
  }
  if (event.c !== undefined) {
    if (!isObj(event.c)) malformed('c is not an object');
    for (const [id, value] of Object.entries(event.c)) {
      const old = current(id);
      if (old) pending.set(id, decodeChanged(old, value));
    }
  }
  out.updated = [...pending.values()];
  return out;
}
