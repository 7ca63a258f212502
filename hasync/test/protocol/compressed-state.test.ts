import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type DemoState, toHassState } from '../../src/demo/compressed-state.ts';
import {
  compressState,
  diffStates,
  isoTime,
  toWireState,
} from '../../src/protocol/compressed-state.ts';
import { decodeEntitiesEvent } from '../../src/upstream/entities-decoder.ts';

const BASE: DemoState = {
  entity_id: 'light.a',
  state: 'on',
  attributes: { brightness: 100, friendly_name: 'A', effect: 'none' },
  context: { id: '01AAA', parent_id: null, user_id: null },
  lc: 1_700_000_000.25,
  lu: 1_700_000_000.25,
};

test('compresses a state like Home Assistant: context id alone, lu only when it differs', () => {
  assert.deepEqual(compressState(BASE), { s: 'on', a: BASE.attributes, c: '01AAA', lc: BASE.lc });
  const withUser = {
    ...BASE,
    context: { id: 'x', parent_id: null, user_id: 'u' },
    lu: BASE.lc + 1,
  };
  const compressed = compressState(withUser);
  assert.deepEqual(compressed.c, withUser.context);
  assert.equal(compressed.lu, BASE.lc + 1);
});

test('writes timestamps with microseconds and a UTC offset', () => {
  assert.equal(isoTime(1_700_000_000.25), '2023-11-14T22:13:20.250000+00:00');
});

test('a diff carries only what changed and removes vanished attributes', () => {
  const next: DemoState = {
    ...BASE,
    state: 'off',
    attributes: { brightness: null, friendly_name: 'A' },
    context: { id: '01BBB', parent_id: null, user_id: 'user1' },
    lc: BASE.lc + 5,
    lu: BASE.lc + 5,
  };
  assert.deepEqual(diffStates(BASE, next), {
    '+': {
      s: 'off',
      lc: BASE.lc + 5,
      c: { user_id: 'user1', id: '01BBB' },
      a: { brightness: null },
    },
    '-': { a: ['effect'] },
  });
  const attrOnly = { ...BASE, attributes: { ...BASE.attributes, brightness: 7 }, lu: BASE.lc + 1 };
  assert.deepEqual(diffStates(BASE, attrOnly), { '+': { lu: BASE.lc + 1, a: { brightness: 7 } } });
});

test('the link decodes what the demo home encodes back to the same state', () => {
  const next: DemoState = {
    ...BASE,
    state: 'off',
    attributes: { friendly_name: 'A', brightness: null },
    context: { id: '01CCC', parent_id: null, user_id: null },
    lc: BASE.lc + 2,
    lu: BASE.lc + 2,
  };
  const first = decodeEntitiesEvent({ a: { 'light.a': compressState(BASE) } }, () => undefined);
  const known = first.updated[0];
  assert.ok(known);
  const second = decodeEntitiesEvent({ c: { 'light.a': diffStates(BASE, next) } }, () => known);
  const decoded = second.updated[0];
  const expected = toHassState(next);
  assert.equal(decoded?.state, expected.state);
  assert.deepEqual(decoded?.attributes, expected.attributes);
  assert.deepEqual(decoded?.context, expected.context);
  assert.equal(Date.parse(decoded?.last_changed ?? ''), Math.floor(next.lc * 1000));
  assert.deepEqual(known.attributes, BASE.attributes, 'the earlier state was not edited');
  const removed = decodeEntitiesEvent({ r: ['light.a'] }, () => known);
  assert.deepEqual(removed, { updated: [], removed: ['light.a'] });
});

test('the decoder rejects events of the wrong shape', () => {
  for (const bad of [
    null,
    5,
    { a: 5 },
    { a: { 'x.y': { s: 1 } } },
    { r: [1] },
    { c: { 'x.y': 3 } },
  ]) {
    const known = () => toHassState({ ...BASE, entity_id: 'x.y' });
    assert.throws(
      () => decodeEntitiesEvent(bad, known),
      { code: 'upstream_malformed' },
      JSON.stringify(bad),
    );
  }
});

test('a get_states state converts to the wire form and back without changing its encoding', () => {
  const hass = toHassState(BASE);
  assert.deepEqual(compressState(toWireState(hass)), compressState(BASE));
});
