import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Connection } from 'home-assistant-js-websocket';
import type { HassEvent } from '../../src/protocol/home-assistant.ts';
import { waitFor } from '../fakes/demo-home.ts';
import { connectDevice, pairDevice } from '../helpers/devices.ts';
import { startDemoServer, type TestServer } from '../helpers/hasync.ts';
import { RawSocket } from '../helpers/raw-socket.ts';

let server: TestServer;

before(async () => {
  server = await startDemoServer();
});
after(async () => {
  await server.stop();
});

function demo() {
  const home = server.hasync.demo;
  assert.ok(home, 'demo mode runs the demo home in-process');
  return home;
}

function emitUpstream(event: Partial<HassEvent> & { event_type: string }) {
  server.hasync.bus.emit('upstream_event', {
    event: {
      data: {},
      origin: 'LOCAL',
      time_fired: '2026-01-01T00:00:00.000001+00:00',
      context: { id: 'c1', parent_id: null, user_id: null },
      ...event,
    },
  });
}

async function refused(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code: string; message: string };
  }
  assert.fail('expected the call to be refused');
}

describe('events a device may subscribe to', () => {
  let conn: Connection;

  before(async () => {
    const device = await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['kitchen'] });
    conn = await connectDevice(server.deviceUrl, device.token);
  });
  after(() => conn.close());

  test('every event type (no event_type) is refused, as Home Assistant refuses a non-admin', async () => {
    // HA: homeassistant/components/websocket_api/commands.py handle_subscribe_events
    const err = await refused(conn.sendMessagePromise({ type: 'subscribe_events' }));
    assert.deepEqual(err, { code: 'unauthorized', message: 'Unauthorized' });
  });

  test('registry events reach the device only for what its scope holds', async () => {
    const seen: string[] = [];
    const unsubscribe = await conn.subscribeEvents<HassEvent>(
      (event) => seen.push(String(event.data.entity_id)),
      'entity_registry_updated',
    );
    emitUpstream({
      event_type: 'entity_registry_updated',
      data: { action: 'update', entity_id: 'media_player.living_room_tv' },
    });
    emitUpstream({
      event_type: 'entity_registry_updated',
      data: { action: 'update', entity_id: 'switch.dishwasher' },
    });
    await waitFor(() => seen.includes('switch.dishwasher'), 'the in-scope registry event');
    assert.deepEqual(seen, ['switch.dishwasher']);
    await unsubscribe();
  });

  test('an event is relayed as Home Assistant sent it, time_fired and context included', async () => {
    const seen: HassEvent[] = [];
    const unsubscribe = await conn.subscribeEvents<HassEvent>(
      (event) => seen.push(event),
      'themes_updated',
    );
    emitUpstream({ event_type: 'themes_updated' });
    await waitFor(() => seen.length > 0, 'the themes event');
    assert.deepEqual(seen[0], {
      event_type: 'themes_updated',
      data: {},
      origin: 'LOCAL',
      time_fired: '2026-01-01T00:00:00.000001+00:00',
      context: { id: 'c1', parent_id: null, user_id: null },
    });
    await unsubscribe();
  });

  test('service events only for domains in scope and homeassistant', async () => {
    const seen: string[] = [];
    const unsubscribe = await conn.subscribeEvents<HassEvent>(
      (event) => seen.push(`${event.data.domain}.${event.data.service}`),
      'service_registered',
    );
    emitUpstream({
      event_type: 'service_registered',
      data: { domain: 'media_player', service: 'x' },
    });
    emitUpstream({ event_type: 'service_registered', data: { domain: 'switch', service: 'y' } });
    await waitFor(() => seen.includes('switch.y'), 'the in-scope service event');
    assert.deepEqual(seen, ['switch.y']);
    await unsubscribe();
  });
});

describe('state changes', () => {
  test('every change of one entity is delivered, none merged, coalesced into one frame', async () => {
    const device = await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['kitchen'] });
    const socket = await RawSocket.authenticated(server.deviceUrl, device.token);
    socket.send({ id: 1, type: 'supported_features', features: { coalesce_messages: 1 } });
    await socket.next((f) => f.id === 1);
    socket.send({ id: 2, type: 'subscribe_entities', entity_ids: ['switch.dishwasher'] });
    await socket.next((f) => f.id === 2 && f.type === 'event');
    const seenBefore = socket.frames.length;
    const frames = () => (socket.frames as unknown[]).slice(seenBefore);
    demo().setState('switch.dishwasher', 'off');
    demo().setState('switch.dishwasher', 'on');
    demo().setState('switch.dishwasher', 'off');
    const states = () =>
      frames()
        .flatMap((frame) => (Array.isArray(frame) ? frame : [frame]))
        .map((f) => (f as { event?: { c?: Record<string, { '+': { s?: string } }> } }).event?.c)
        .flatMap((c) => (c?.['switch.dishwasher']?.['+'].s ? [c['switch.dishwasher']['+'].s] : []));
    await waitFor(() => states().length >= 2, 'both changes');
    assert.deepEqual(states().slice(-2), ['on', 'off']);
    assert.ok(
      frames().some((frame) => Array.isArray(frame) && frame.length >= 2),
      'changes produced together travel as one coalesced JSON array',
    );
    socket.close();
  });
});

describe('while Home Assistant is unreachable', () => {
  test('device sockets are closed and new ones turned away until it is back', async () => {
    const device = await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['kitchen'] });
    const socket = await RawSocket.authenticated(server.deviceUrl, device.token);
    await demo().stop();
    assert.equal(await socket.closed, 1013);
    const early = new RawSocket(server.deviceUrl);
    assert.equal(await early.closed, 1013);
    assert.equal(early.frames.length, 0, 'not even auth_required while Home Assistant is away');
    await demo().start();
    await waitFor(() => server.hasync.link.status().state === 'demo', 'the link to come back');
    const again = await RawSocket.authenticated(server.deviceUrl, device.token);
    again.send({ id: 1, type: 'ping' });
    await again.next((f) => f.id === 1 && f.type === 'pong');
    again.close();
  });
});

describe('subscribe_entities filters', () => {
  async function initial(message: Record<string, unknown>): Promise<string[]> {
    const device = await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['kitchen'] });
    const socket = await RawSocket.authenticated(server.deviceUrl, device.token);
    socket.send({ id: 1, type: 'subscribe_entities', ...message });
    const reply = await socket.next((f) => f.id === 1);
    socket.close();
    if (reply.type !== 'result') return [];
    const event = await socket.next((f) => f.id === 1 && f.type === 'event');
    return Object.keys((event.event as { a: Record<string, unknown> }).a).sort();
  }

  test('entity_ids as a comma-separated string, include domains, exclude entities', async () => {
    // HA: websocket_api/commands.py handle_subscribe_entities; helpers/entityfilter.py (2024.9+)
    const all = await initial({});
    assert.deepEqual(await initial({ entity_ids: 'switch.dishwasher, light.kitchen_ceiling' }), [
      'light.kitchen_ceiling',
      'switch.dishwasher',
    ]);
    const switches = all.filter((id) => id.startsWith('switch.'));
    assert.ok(switches.length > 0);
    assert.deepEqual(await initial({ include: { domains: ['switch'] } }), switches);
    assert.deepEqual(
      await initial({ exclude: { entities: ['switch.dishwasher'] } }),
      all.filter((id) => id !== 'switch.dishwasher'),
    );
    assert.deepEqual(
      await initial({ include: { entity_globs: ['lock.*'] } }),
      all.filter((id) => id.startsWith('lock.')),
    );
  });

  test('a filter never widens the scope', async () => {
    const got = await initial({ entity_ids: ['lock.front_door'] });
    assert.deepEqual(got, []);
    const globbed = await initial({ include: { entity_globs: ['*'] } });
    assert.ok(!globbed.includes('lock.front_door'));
  });
});
