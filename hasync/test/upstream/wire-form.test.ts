// HA: homeassistant/components/websocket_api/commands.py handle_subscribe_events, handle_get_states
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HassState } from '../../src/protocol/home-assistant.ts';
import { waitFor } from '../fakes/demo-home.ts';
import { startLink } from '../fakes/link.ts';
import {
  countOf,
  eventFrame,
  haEvent,
  okResult,
  type RawMessage,
  result,
  startRawHomeAssistant,
  subscriptionId,
} from '../fakes/raw-ha.ts';

/** A state as Home Assistant 2024.4+ writes it: microseconds, `+00:00`, last_reported, context. */
function haState(state: string, n: number): HassState {
  const t = `2024-03-20T10:11:${String(10 + n)}.${String(123456 + n)}+00:00`;
  return {
    entity_id: 'light.kitchen',
    state,
    attributes: { friendly_name: 'Kitchen', brightness: n },
    last_changed: t,
    last_reported: t,
    last_updated: t,
    context: { id: `01HSKITCHEN${String(n).padStart(15, '0')}`, parent_id: null, user_id: 'u1' },
  };
}

function stateChanged(old: HassState | null, next: HassState | null, n: number) {
  return haEvent(
    'state_changed',
    { entity_id: 'light.kitchen', old_state: old, new_state: next },
    n,
  );
}

test('keeps states exactly as Home Assistant sent them, timestamps and context untouched', async () => {
  const sent = haState('on', 1);
  const fake = await startRawHomeAssistant((msg) =>
    msg.type === 'get_states' ? [result(msg.id, [sent])] : [okResult(msg)],
  );
  const h = await startLink({ url: fake.url, token: 't' });
  try {
    assert.equal(h.link.status().state, 'connected');
    const cached = h.cache.state('light.kitchen');
    assert.equal(JSON.stringify(cached), JSON.stringify(sent), 'same keys, order and values');
    assert.equal(cached?.last_changed, '2024-03-20T10:11:11.123457+00:00');
    assert.equal(cached?.last_reported, sent.last_reported);
    assert.equal(countOf(fake, 'subscribe_entities'), 0, 'the compressed form is not used');
  } finally {
    await h.stop();
    await fake.close();
  }
});

test("each state_changed is one change carrying Home Assistant's event verbatim, none merged", async () => {
  const s1 = haState('off', 1);
  const fake = await startRawHomeAssistant((msg) =>
    msg.type === 'get_states' ? [result(msg.id, [s1])] : [okResult(msg)],
  );
  const h = await startLink({ url: fake.url, token: 't' });
  try {
    const sub = subscriptionId(fake, 'state_changed');
    h.changes.length = 0;
    const s2 = haState('on', 2);
    const s3 = haState('off', 3);
    const events = [stateChanged(s1, s2, 2), stateChanged(s2, s3, 3)];
    // One coalesced frame, as Home Assistant sends a burst.
    fake.send(`[${events.map((e) => eventFrame(sub, e)).join(',')}]`);
    await waitFor(() => h.changes.length >= 2, 'both changes');
    assert.deepEqual(
      h.changes.map((c) => [c.old?.state, c.new?.state]),
      [
        ['off', 'on'],
        ['on', 'off'],
      ],
    );
    assert.deepEqual(h.changes[0]?.event, events[0]);
    assert.deepEqual(h.changes[1]?.event, events[1]);
    assert.equal(h.changes[1]?.event?.time_fired, '2024-03-20T10:11:12.100003+00:00');
    assert.deepEqual(h.cache.state('light.kitchen'), s3);
    fake.send(eventFrame(sub, stateChanged(s3, null, 4)));
    await waitFor(() => h.changes.length === 3, 'the removal');
    assert.equal(h.changes[2]?.new, undefined);
    assert.equal(h.cache.state('light.kitchen'), undefined);
  } finally {
    await h.stop();
    await fake.close();
  }
});

test('events before the get_states answer are dropped; later ones apply, even in the same frame', async () => {
  const s1 = haState('off', 1);
  const s2 = haState('on', 2);
  const s3 = haState('off', 3);
  let stateSub = 0;
  const fake = await startRawHomeAssistant((msg: RawMessage) => {
    if (msg.type === 'subscribe_events' && msg.event_type === 'state_changed') stateSub = msg.id;
    if (msg.type !== 'get_states') return [okResult(msg)];
    // s1→s2 happened before get_states was answered (the snapshot holds s2); s2→s3 after it,
    // delivered in the same coalesced frame as the result.
    const before = eventFrame(stateSub, stateChanged(s1, s2, 2));
    const after = eventFrame(stateSub, stateChanged(s2, s3, 3));
    return [before, `[${result(msg.id, [s2])},${after}]`];
  });
  const h = await startLink({ url: fake.url, token: 't' });
  try {
    await waitFor(() => h.changes.length >= 2, 'the snapshot and the later change');
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(
      h.changes.map((c) => [c.old?.state, c.new?.state, c.event?.time_fired]),
      [
        [undefined, 'on', undefined],
        ['on', 'off', '2024-03-20T10:11:12.100003+00:00'],
      ],
      'the snapshot, then only the change that came after it',
    );
    assert.deepEqual(h.cache.state('light.kitchen'), s3);
  } finally {
    await h.stop();
    await fake.close();
  }
});
