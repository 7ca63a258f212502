/**
 * subscribe_events and unsubscribe_events, differentially: what a scoped device receives against
 * what Home Assistant sends its own non-admin user for the same change.
 * HA: homeassistant/components/websocket_api/commands.py handle_subscribe_events,
 * handle_unsubscribe_events; messages.py cached_event_message; core.py Event.as_dict.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Connection } from 'home-assistant-js-websocket';
import { bothAnswer, type Conformance, startConformance } from './conformance.ts';
import {
  eventsOf,
  type Frame,
  kitchenToggles,
  nextEvent,
  openPair,
  sendBoth,
} from './helpers-diff.ts';

const AREA = 'kitchen';

let c: Conformance;
let admin: Connection;
let toggled: string;
let outside: string;

before(async () => {
  c = await startConformance();
  ({ admin, toggled, outside } = await kitchenToggles(c));
});
after(async () => {
  await c?.stop();
});

async function toggle(entityId: string) {
  await admin.sendMessagePromise({
    type: 'call_service',
    domain: entityId.split('.')[0],
    service: 'toggle',
    target: { entity_id: entityId },
  });
}

const entityOf = (event: Frame) => (event.data as { entity_id?: string } | undefined)?.entity_id;

describe('subscribe_events state_changed relays Home Assistant events, limited to the scope', () => {
  test('the subscription is answered with the same result as upstream', async () => {
    const pair = await openPair(c, { areas: [AREA] });
    try {
      const { ha, device } = await sendBoth(pair, {
        id: 1,
        type: 'subscribe_events',
        event_type: 'state_changed',
      });
      assert.deepEqual(ha, { id: 1, type: 'result', success: true, result: null });
      assert.deepEqual(device, ha);
    } finally {
      pair.close();
    }
  });

  // HA: homeassistant/core.py Event.as_dict (event_type, data, origin, time_fired, context)
  test('a device receives the very event upstream fires, and nothing from outside its scope', async () => {
    const pair = await openPair(c, { areas: [AREA] });
    try {
      await sendBoth(pair, { id: 1, type: 'subscribe_events', event_type: 'state_changed' });
      // The out-of-scope change first: were it relayed, it would arrive before the in-scope one.
      await toggle(outside);
      await toggle(toggled);
      const [ha, device] = await Promise.all([
        nextEvent(pair.ha, 1, (e) => entityOf(e) === toggled),
        nextEvent(pair.device, 1, (e) => entityOf(e) === toggled),
      ]);
      assert.deepEqual(Object.keys(device).sort(), Object.keys(ha).sort());
      assert.deepEqual(device, ha);
      assert.ok(
        eventsOf(pair.ha, 1).some((e) => entityOf(e) === outside),
        'upstream fired the out-of-scope change',
      );
      assert.deepEqual(
        eventsOf(pair.device, 1).map(entityOf),
        [toggled],
        'the device got only the in-scope change',
      );
    } finally {
      pair.close();
    }
  });

  test('two quick changes of one entity arrive as the two events upstream sends, in order', async () => {
    const pair = await openPair(c, { areas: [AREA] });
    try {
      await sendBoth(pair, { id: 1, type: 'subscribe_events', event_type: 'state_changed' });
      await Promise.all([toggle(toggled), toggle(toggled)]);
      const mine = (socket: typeof pair.ha) =>
        eventsOf(socket, 1).filter((e) => entityOf(e) === toggled);
      await nextEvent(pair.ha, 1, (e) => entityOf(e) === toggled && mine(pair.ha).length >= 2);
      await nextEvent(pair.device, 1, () => mine(pair.device).length >= 2);
      assert.equal(mine(pair.ha).length, 2);
      assert.deepEqual(mine(pair.device), mine(pair.ha));
    } finally {
      pair.close();
    }
  });

  test('after unsubscribe_events no more events arrive, as upstream', async () => {
    const pair = await openPair(c, { areas: [AREA] });
    try {
      await sendBoth(pair, { id: 1, type: 'subscribe_events', event_type: 'state_changed' });
      const { ha, device } = await sendBoth(pair, {
        id: 2,
        type: 'unsubscribe_events',
        subscription: 1,
      });
      assert.deepEqual(ha, { id: 2, type: 'result', success: true, result: null });
      assert.deepEqual(device, ha);
      await toggle(toggled);
      // A ping answered after the change: any event the change caused was sent before it.
      pair.ha.send({ id: 3, type: 'ping' });
      pair.device.send({ id: 3, type: 'ping' });
      await Promise.all([pair.ha.next((f) => f.id === 3), pair.device.next((f) => f.id === 3)]);
      assert.deepEqual(eventsOf(pair.ha, 1), []);
      assert.deepEqual(eventsOf(pair.device, 1), []);
    } finally {
      pair.close();
    }
  });
});

describe('unsubscribe_events answers as Home Assistant does', () => {
  // HA: homeassistant/components/websocket_api/commands.py handle_unsubscribe_events
  test('an unknown subscription gets the upstream not_found', async () => {
    const [answer] = await bothAnswer(c, [{ id: 1, type: 'unsubscribe_events', subscription: 99 }]);
    assert.ok(answer);
    assert.equal((answer.ha.error as { code: string }).code, 'not_found');
    assert.deepEqual(answer.device, answer.ha);
  });

  // HA: homeassistant/components/websocket_api/connection.py ActiveConnection.async_handle
  // (vol.Invalid → invalid_format with humanize_error of the command schema)
  test('a subscription id that is not a number gets the upstream invalid_format', async () => {
    const [answer] = await bothAnswer(c, [
      { id: 1, type: 'unsubscribe_events', subscription: 'one' },
    ]);
    assert.ok(answer);
    assert.equal((answer.ha.error as { code: string }).code, 'invalid_format');
    assert.deepEqual(answer.device, answer.ha);
  });
});
