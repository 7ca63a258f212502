import type { HassState } from '../protocol/home-assistant.ts';
import type { StateChange } from '../shared/events.ts';

function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** Two states are the same when nothing a client could see differs (context id included). */
export function sameState(a: HassState, b: HassState): boolean {
  return (
    a === b ||
    (a.state === b.state &&
      a.last_changed === b.last_changed &&
      a.last_updated === b.last_updated &&
      a.context.id === b.context.id &&
      sameJson(a.attributes, b.attributes))
  );
}

/** Changes turning `before` into `after`: changed, added (no `old`) and removed (no `new`). */
export function diffStates(
  before: ReadonlyMap<string, HassState>,
  after: ReadonlyMap<string, HassState>,
): StateChange[] {
  const changes: StateChange[] = [];
  for (const [entityId, next] of after) {
    const old = before.get(entityId);
    if (!old || !sameState(old, next)) changes.push({ entity_id: entityId, old, new: next });
  }
  for (const [entityId, old] of before) {
    if (!after.has(entityId)) changes.push({ entity_id: entityId, old, new: undefined });
  }
  return changes;
}

/** Whether two registry listings (keyed the same way) hold the same entries. */
export function sameEntries<T>(before: ReadonlyMap<string, T>, after: ReadonlyMap<string, T>) {
  if (before.size !== after.size) return false;
  for (const [key, value] of after) {
    if (!before.has(key) || !sameJson(before.get(key), value)) return false;
  }
  return true;
}
