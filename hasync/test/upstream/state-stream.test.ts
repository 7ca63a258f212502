import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HassEvent, HassState } from '../../src/protocol/home-assistant.ts';
import {
  eventsAfterSnapshot,
  type StateChangedEvent,
  sameWrite,
} from '../../src/upstream/state-stream.ts';

function st(entityId: string, state: string, n: number): HassState {
  const t = `2024-03-20T10:00:00.${String(100000 + n)}+00:00`;
  return {
    entity_id: entityId,
    state,
    attributes: {},
    last_changed: t,
    last_updated: t,
    context: { id: `ctx-${n}`, parent_id: null, user_id: null },
  };
}

function change(
  entityId: string,
  old: HassState | null,
  next: HassState | null,
): StateChangedEvent {
  const event = { event_type: 'state_changed' } as HassEvent;
  return { event, data: { entity_id: entityId, old_state: old, new_state: next } };
}

test('one write seen twice is the same write; a new last_updated or context is not', () => {
  assert.ok(sameWrite(st('light.a', 'on', 1), st('light.a', 'on', 1)));
  assert.ok(!sameWrite(st('light.a', 'on', 1), st('light.a', 'on', 2)));
  assert.ok(sameWrite(undefined, null), 'removed and absent');
  assert.ok(!sameWrite(st('light.a', 'on', 1), null));
  assert.ok(!sameWrite(undefined, st('light.a', 'on', 1)));
});

test('drops events the get_states snapshot already contains and keeps later ones in order', () => {
  const a1 = st('light.a', 'on', 1);
  const a2 = st('light.a', 'off', 2);
  const a3 = st('light.a', 'on', 3);
  const b1 = st('light.b', 'on', 4);
  const held = [
    change('light.a', null, a1),
    change('light.a', a1, a2), // the snapshot was taken here: it holds a2
    change('light.b', null, b1), // after the snapshot (it lacks light.b)
    change('light.a', a2, a3),
  ];
  const after = eventsAfterSnapshot(held, [a2]);
  assert.deepEqual(after, [held[2], held[3]]);
});

test('a removal the snapshot reflects is dropped; one after it is kept', () => {
  const a1 = st('light.a', 'on', 1);
  const removed = change('light.a', a1, null);
  assert.deepEqual(eventsAfterSnapshot([removed], []), []);
  assert.deepEqual(eventsAfterSnapshot([removed], [a1]), [removed]);
});
