/**
 * subscribe_events refusals compared with Home Assistant's answer to its non-admin user: every
 * event type (no event_type) and a type outside the allow-list are `unauthorized`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bothAnswer, type Conformance, startConformance } from './conformance.ts';

let c: Conformance;

before(async () => {
  c = await startConformance();
});
after(async () => {
  await c?.stop();
});

describe('subscribe_events refusals answer as Home Assistant does', () => {
  // HA: homeassistant/components/websocket_api/commands.py handle_subscribe_events (MATCH_ALL is
  // not in SUBSCRIBE_ALLOWLIST: Unauthorized for a non-admin user)
  test('subscribe_events without event_type gets what upstream answers its non-admin user', async () => {
    const [answer] = await bothAnswer(c, [{ id: 1, type: 'subscribe_events' }]);
    assert.ok(answer);
    assert.equal(answer.ha.success, false, 'a non-admin user may not subscribe to every event');
    assert.deepEqual(answer.device, answer.ha);
  });

  // HA: homeassistant/auth/permissions/events.py SUBSCRIBE_ALLOWLIST
  test('an event type outside the allow-list gets what upstream answers its non-admin user', async () => {
    const [answer] = await bothAnswer(c, [
      { id: 1, type: 'subscribe_events', event_type: 'call_service' },
    ]);
    assert.ok(answer);
    assert.equal(answer.ha.success, false, 'call_service events are not for non-admin users');
    assert.deepEqual(answer.device, answer.ha);
  });
});
