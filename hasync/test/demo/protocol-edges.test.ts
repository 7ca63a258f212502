import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import type { DemoHome } from '../../src/demo/demo-home.ts';
import { startDemoHome, waitFor } from '../fakes/demo-home.ts';

let home: DemoHome;

before(async () => {
  home = await startDemoHome();
});
after(async () => {
  await home.stop();
});

/** A raw client that records every frame it receives, parsed. */
async function rawClient(token: string | null = 'tok') {
  const ws = new WebSocket(`${home.url.replace('http', 'ws')}/api/websocket`);
  const frames: Record<string, unknown>[] = [];
  ws.on('message', (data) => {
    const parsed = JSON.parse(String(data)) as Record<string, unknown> | Record<string, unknown>[];
    frames.push(...(Array.isArray(parsed) ? parsed : [parsed]));
  });
  await once(ws, 'open');
  await waitFor(() => frames.length > 0, 'auth_required');
  if (token !== null) {
    ws.send(JSON.stringify({ type: 'auth', access_token: token }));
    await waitFor(() => frames.some((f) => f.type === 'auth_ok'), 'auth_ok');
  }
  const reply = async (id: number) => {
    await waitFor(() => frames.find((f) => f.id === id && f.type !== 'event'), `reply ${id}`);
    return frames.find((f) => f.id === id && f.type !== 'event') as Record<string, unknown>;
  };
  return { ws, frames, reply, send: (msg: object) => ws.send(JSON.stringify(msg)) };
}

test('announces its version before auth and refuses a malformed auth message', async () => {
  const c = await rawClient(null);
  assert.deepEqual(c.frames[0], { type: 'auth_required', ha_version: home.haVersion });
  c.send({ type: 'login', password: 'x' });
  await once(c.ws, 'close');
  assert.equal(c.frames[1]?.type, 'auth_invalid');
});

test('answers protocol mistakes the way Home Assistant does', async () => {
  const c = await rawClient();
  c.send({ id: 2, type: 'ping' });
  assert.equal((await c.reply(2)).type, 'pong');
  c.send({ id: 2, type: 'ping' });
  await waitFor(() => c.frames.filter((f) => f.id === 2).length === 2, 'the id_reuse error');
  assert.deepEqual(c.frames.filter((f) => f.id === 2)[1]?.error, {
    code: 'id_reuse',
    message: 'Identifier values have to increase.',
  });
  c.send({ id: 3, type: 'unsubscribe_events', subscription: 99 });
  assert.equal(((await c.reply(3)).error as { code: string }).code, 'not_found');
  c.send({ type: 'get_states' });
  await waitFor(() => c.frames.some((f) => f.id === null), 'the invalid_format error');
  c.ws.send('{not json');
  await once(c.ws, 'close');
});

test('subscribe_entities with entity_ids sends only those entities', async () => {
  const c = await rawClient();
  c.send({ id: 5, type: 'subscribe_entities', entity_ids: ['light.porch', 'switch.irrigation'] });
  await waitFor(() => c.frames.find((f) => f.id === 5 && f.type === 'event'), 'the snapshot');
  const snapshot = c.frames.find((f) => f.id === 5 && f.type === 'event') as {
    event: { a: Record<string, unknown> };
  };
  assert.deepEqual(Object.keys(snapshot.event.a).sort(), ['light.porch', 'switch.irrigation']);
  home.setState('sensor.office_co2', '800');
  home.setState('light.porch', 'off');
  await waitFor(() => c.frames.filter((f) => f.id === 5).length >= 3, 'the change');
  const change = c.frames.filter((f) => f.id === 5)[2] as { event: { c: Record<string, unknown> } };
  assert.deepEqual(Object.keys(change.event.c), ['light.porch']);
  c.ws.close();
});

test('coalesces a burst of state_changed events into one array frame for clients that asked', async () => {
  const c = await rawClient();
  c.send({ id: 1, type: 'supported_features', features: { coalesce_messages: 1 } });
  await c.reply(1);
  c.send({ id: 2, type: 'subscribe_events', event_type: 'state_changed' });
  await c.reply(2);
  let arrays = 0;
  c.ws.on('message', (data) => {
    if (String(data).startsWith('[')) arrays++;
  });
  home.setState('sensor.office_co2', '801');
  home.setState('sensor.office_co2', '802');
  home.setState('sensor.office_co2', '803');
  await waitFor(
    () => c.frames.filter((f) => f.id === 2 && f.type === 'event').length === 3,
    'three events',
  );
  assert.equal(arrays, 1);
  c.ws.close();
});
