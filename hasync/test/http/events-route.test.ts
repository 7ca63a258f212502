import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { createApp } from '../../src/http/create-app.ts';
import { eventRoutes, SSE_EVENTS } from '../../src/http/routes/events.ts';
import { EventBus } from '../../src/shared/bus.ts';
import type { HasyncEvents } from '../../src/shared/events.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { waitFor } from '../fakes/demo-home.ts';
import { openSse } from '../helpers/sse.ts';

async function startEvents(keepAliveMs: number) {
  const log = createLogger('error');
  const bus = new EventBus<HasyncEvents>(log);
  const app = createApp(log);
  eventRoutes(app, { bus, keepAliveMs });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/events`;
  return { app, bus, url };
}

test('forwards each documented bus event as a named event with its JSON payload', async () => {
  const { app, bus, url } = await startEvents(60_000);
  const events = await openSse(url);
  try {
    bus.emit('upstream', { state: 'connected' });
    bus.emit('device_online', { device_id: 'd1' });
    bus.emit('device_offline', { device_id: 'd1' });
    bus.emit('states_changed', { changes: [] });
    bus.emit('pairing_completed', { pairing_id: 'p', device_id: 'd2', name: 'n' });
    assert.deepEqual((await events.next('upstream')).data, { state: 'connected' });
    assert.deepEqual((await events.next('device_online')).data, { device_id: 'd1' });
    assert.deepEqual((await events.next('device_offline')).data, { device_id: 'd1' });
    await events.next('pairing_completed');
    assert.ok(!events.received().some((e) => e.event === 'states_changed'), 'not an SSE event');
    assert.deepEqual([...SSE_EVENTS].sort(), [
      'device_expired',
      'device_offline',
      'device_online',
      'device_revoked',
      'device_updated',
      'pairing_completed',
      'pairing_expired',
      'upstream',
    ]);
  } finally {
    events.close();
    await app.close();
  }
});

test('sends keep-alive comments while nothing happens', async () => {
  const { app, url } = await startEvents(20);
  const events = await openSse(url);
  try {
    await waitFor(() => events.comments() >= 3, 'three keep-alive comments');
  } finally {
    events.close();
    await app.close();
  }
});

test('a client that goes away leaves no bus listener behind, and neither does shutdown', async () => {
  const { app, bus, url } = await startEvents(60_000);
  const owners = listenerOwners(bus);
  const leaving = await openSse(url);
  const staying = await openSse(url);
  try {
    await waitFor(() => owners.size === 2, 'two streams subscribed');
    leaving.close();
    await waitFor(() => owners.size === 1, 'the closed stream to unsubscribe');
    bus.emit('device_revoked', { device_id: 'x' });
    await staying.next('device_revoked');
  } finally {
    staying.close();
    await app.close();
  }
  assert.equal(owners.size, 0);
});

/** Tracks which owners currently have listeners on the bus. */
function listenerOwners(bus: EventBus<HasyncEvents>): Set<string> {
  const owners = new Set<string>();
  const on = bus.on.bind(bus);
  const off = bus.off.bind(bus);
  bus.on = (owner, event, fn) => {
    owners.add(owner);
    on(owner, event, fn);
  };
  bus.off = (owner) => {
    owners.delete(owner);
    off(owner);
  };
  return owners;
}
