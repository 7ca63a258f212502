import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scopeHistoryEvent, scopeLogbookEvent } from '../../src/gateway/frontend-history.ts';

const scope = new Set(['group.kitchen', 'light.kitchen_ceiling']);
const picture = (entityId: string) => `/hasync/${entityId}`;

// HA: homeassistant/components/history/websocket_api.py _generate_stream_message
test('a history event keeps only scoped entities, with member lists filtered to the scope', () => {
  const event = {
    states: {
      'group.kitchen': [
        { s: 'on', a: { entity_id: ['light.kitchen_ceiling', 'lock.front_door'] }, lu: 1 },
      ],
      'lock.front_door': [{ s: 'unlocked', lu: 2 }],
    },
    start_time: 1,
    end_time: 2,
  };
  assert.deepEqual(scopeHistoryEvent(event, scope, picture), {
    states: { 'group.kitchen': [{ s: 'on', a: { entity_id: ['light.kitchen_ceiling'] }, lu: 1 }] },
    start_time: 1,
    end_time: 2,
  });
});

// HA: homeassistant/components/logbook/websocket_api.py ws_event_stream (context_augmenter keys)
test('a logbook event keeps scoped entries, and their context only when it names a scoped entity', () => {
  const event = {
    events: [
      {
        when: 1,
        entity_id: 'light.kitchen_ceiling',
        state: 'on',
        context_entity_id: 'binary_sensor.front_door',
        context_entity_id_name: 'Front door',
        context_event_type: 'state_changed',
      },
      { when: 2, entity_id: 'light.kitchen_ceiling', state: 'off', context_user_id: 'u1' },
      { when: 3, entity_id: 'lock.front_door', state: 'unlocked' },
      { when: 4, name: 'Home Assistant', message: 'started' },
    ],
    partial: true,
  };
  assert.deepEqual(scopeLogbookEvent(event, scope), {
    events: [
      { when: 1, entity_id: 'light.kitchen_ceiling', state: 'on' },
      { when: 2, entity_id: 'light.kitchen_ceiling', state: 'off', context_user_id: 'u1' },
    ],
    partial: true,
  });
});
