import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeChanges, eventFrame } from '../../src/gateway/change-encoder.ts';
import { ScopeGroups } from '../../src/gateway/scope-groups.ts';
import type { HassState } from '../../src/protocol/home-assistant.ts';
import { staticHome } from '../helpers/static-home.ts';

const home = staticHome({
  areas: ['kitchen', 'hall'],
  devices: {},
  entities: { 'light.kitchen': { area: 'kitchen' }, 'light.hall': { area: 'hall' } },
});

test('devices with the same scope rule share one group, so a change is filtered once for them', () => {
  const groups = new ScopeGroups<string>();
  groups.join('tablet-1', { areas: ['kitchen'], entities: [], excluded: [] }, home);
  groups.join('tablet-2', { areas: ['kitchen'], entities: [], excluded: [] }, home);
  groups.join('phone', { areas: ['kitchen', 'hall'], entities: [], excluded: [] }, home);
  const entries = [...groups.entries()];
  assert.equal(entries.length, 2);
  assert.deepEqual([...(entries[0]?.[1] ?? [])], ['tablet-1', 'tablet-2']);
  assert.deepEqual([...groups.scopeOf('tablet-2')], ['light.kitchen']);
  groups.leave('phone');
  assert.equal([...groups.entries()].length, 1);
});

test('each change is serialized once as its own event, as Home Assistant sends one per change', () => {
  // HA: homeassistant/components/websocket_api/messages.py _state_diff_event
  const at = '2026-01-01T00:00:00.123456+00:00';
  const state = (id: string, value: string): HassState => ({
    entity_id: id,
    state: value,
    attributes: { brightness: 3 },
    last_changed: at,
    last_updated: at,
    context: { id: 'ctx', parent_id: null, user_id: null },
  });
  const encoded = encodeChanges(
    [
      {
        entity_id: 'light.kitchen',
        old: state('light.kitchen', 'off'),
        new: state('light.kitchen', 'on'),
      },
      {
        entity_id: 'light.kitchen',
        old: state('light.kitchen', 'on'),
        new: state('light.kitchen', 'off'),
      },
      { entity_id: 'light.hall', old: undefined, new: state('light.hall', 'on') },
      { entity_id: 'light.gone', old: state('light.gone', 'on'), new: undefined },
    ],
    at,
  );
  assert.deepEqual(
    encoded.map((change) => [change.kind, JSON.parse(change.entities)]),
    [
      ['c', { c: { 'light.kitchen': { '+': { s: 'on' } } } }],
      ['c', { c: { 'light.kitchen': { '+': { s: 'off' } } } }],
      [
        'a',
        {
          a: {
            'light.hall': { s: 'on', a: { brightness: 3 }, c: 'ctx', lc: 1767225600.123456 },
          },
        },
      ],
      ['r', { r: ['light.gone'] }],
    ],
  );
  assert.deepEqual(JSON.parse(eventFrame(7, encoded[0]?.entities ?? '')), {
    id: 7,
    type: 'event',
    event: { c: { 'light.kitchen': { '+': { s: 'on' } } } },
  });
});
