import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Connection } from 'home-assistant-js-websocket';
import { RawSocket } from '../helpers/raw-socket.ts';
import { type Conformance, entitiesInArea, startConformance } from './conformance.ts';

let c: Conformance;
let admin: Connection;
let kitchen: string[];
let light: string;
let ha: RawSocket;
let device: RawSocket;

type Frame = Record<string, unknown>;
type EntityEvent = { a?: Record<string, unknown>; c?: Record<string, unknown> };

before(async () => {
  c = await startConformance();
  admin = await c.haClient();
  kitchen = await entitiesInArea(admin, 'kitchen');
  const found = kitchen.find((id) => id.startsWith('light.'));
  assert.ok(found, 'upstream has a light in the kitchen');
  light = found;
  const { token } = await c.pairDevice({ areas: ['kitchen'] });
  ha = await RawSocket.authenticated(c.upstream.url, c.upstream.userToken);
  device = await RawSocket.authenticated(c.server.deviceUrl, token);
  for (const socket of [ha, device]) {
    // Home Assistant is asked for the device's scope, so both answers cover the same entities.
    socket.send({ id: 1, type: 'subscribe_entities', entity_ids: kitchen });
    socket.send({ id: 2, type: 'subscribe_events', event_type: 'state_changed' });
  }
  await Promise.all(
    [ha, device].flatMap((s) => [s.next((f) => f.id === 2 && f.type === 'result')]),
  );
});
after(async () => {
  ha?.close();
  device?.close();
  await c?.stop();
});

const entityEvent = (f: Frame) => (f.type === 'event' ? (f.event as EntityEvent) : undefined);

describe('subscriptions deliver what Home Assistant delivers', () => {
  // HA: homeassistant/components/websocket_api/commands.py handle_subscribe_entities
  // (_async_get_compressed_states: "a" with s/a/c/lc/lu)
  test('subscribe_entities starts with the same compressed states as upstream', async () => {
    const [haFirst, deviceFirst] = await Promise.all([
      ha.next((f) => f.id === 1 && entityEvent(f)?.a !== undefined),
      device.next((f) => f.id === 1 && entityEvent(f)?.a !== undefined),
    ]);
    const haAdded = entityEvent(haFirst)?.a ?? {};
    assert.deepEqual(Object.keys(haAdded).sort(), kitchen);
    assert.deepEqual(entityEvent(deviceFirst)?.a, haAdded);
  });

  // HA: homeassistant/components/websocket_api/messages.py _state_diff_event, and
  // homeassistant/components/websocket_api/commands.py handle_subscribe_events (state_changed)
  test('a change arrives as the same entities diff and state_changed event as upstream', async () => {
    await admin.sendMessagePromise({
      type: 'call_service',
      domain: 'light',
      service: 'toggle',
      target: { entity_id: light },
    });
    const isDiff = (f: Frame) => f.id === 1 && entityEvent(f)?.c?.[light] !== undefined;
    const isChange = (f: Frame) =>
      f.id === 2 &&
      (f.event as { data?: { entity_id?: string } } | undefined)?.data?.entity_id === light;
    const [haDiff, deviceDiff, haChange, deviceChange] = await Promise.all([
      ha.next(isDiff),
      device.next(isDiff),
      ha.next(isChange),
      device.next(isChange),
    ]);
    assert.deepEqual(entityEvent(deviceDiff)?.c?.[light], entityEvent(haDiff)?.c?.[light]);
    assert.deepEqual(deviceChange.event, haChange.event);
  });
});
