import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import type { DemoHome } from '../../src/demo/demo-home.ts';
import { startDemoHome, waitFor } from '../fakes/demo-home.ts';
import { rawClient } from './raw-client.ts';

let home: DemoHome;
before(async () => {
  home = await startDemoHome();
});
after(async () => {
  await home.stop();
});

// HA: homeassistant/components/websocket_api/http.py async_handle (a JSON array is handled message by message)
test('handles a client JSON array message by message', async () => {
  const c = await rawClient(home);
  c.send([
    { id: 1, type: 'ping' },
    { id: 2, type: 'get_config' },
  ]);
  assert.equal((await c.reply(1)).type, 'pong');
  assert.equal((await c.reply(2)).success, true);
  c.ws.close();
});

// HA: homeassistant/components/websocket_api/http.py _writer (all queued frames joined into one array)
test('joins every queued frame into one array once coalesce_messages is announced', async () => {
  const c = await rawClient(home);
  assert.equal(
    (await c.ask({ id: 1, type: 'supported_features', features: { coalesce_messages: 0 } })).result,
    null,
  );
  const before = c.texts.length;
  c.send([
    { id: 2, type: 'ping' },
    { id: 3, type: 'ping' },
    { id: 4, type: 'get_config' },
  ]);
  await c.reply(4);
  assert.equal(c.texts.length, before + 1);
  assert.ok(c.texts.at(-1)?.startsWith('[{"id":2,"type":"pong"}'));
  c.ws.close();
});

// HA: homeassistant/components/websocket_api/connection.py set_supported_features (no coalescing without the key)
test('does not coalesce without the coalesce_messages key', async () => {
  const c = await rawClient(home);
  await c.ask({ id: 1, type: 'supported_features', features: {} });
  const before = c.texts.length;
  c.send([
    { id: 2, type: 'ping' },
    { id: 3, type: 'ping' },
  ]);
  await c.reply(3);
  assert.equal(c.texts.length, before + 2);
  c.ws.close();
});

// HA: homeassistant/components/websocket_api/commands.py handle_supported_features (features: {str: int} required)
test('supported_features requires features as {str: int}', async () => {
  const c = await rawClient(home);
  assert.deepEqual((await c.ask({ id: 1, type: 'supported_features' })).error, {
    code: 'invalid_format',
    message: "required key not provided @ data['features']. Got None",
  });
  const bad = await c.ask({
    id: 2,
    type: 'supported_features',
    features: { coalesce_messages: 'x' },
  });
  assert.equal(
    bad.error?.message,
    "expected int for dictionary value @ data['features']['coalesce_messages']. Got 'x'",
  );
  c.ws.close();
});

// HA: homeassistant/components/websocket_api/connection.py async_handle (id rules; last_id moves only after a known handler ran)
test('applies id rules as connection.py does', async () => {
  const c = await rawClient(home);
  c.send({ id: 5, type: 'no_such_command' });
  assert.deepEqual((await c.reply(5)).error, {
    code: 'unknown_command',
    message: 'Unknown command.',
  });
  // An unknown command does not move last_id, so 5 is still free…
  c.send({ id: 5, type: 'ping' });
  await waitFor(() => c.frames.filter((f) => f.id === 5).length === 2, 'the pong');
  assert.equal(c.frames.filter((f) => f.id === 5)[1]?.type, 'pong');
  // …but a known command that fails its schema does.
  await c.ask({ id: 6, type: 'get_states', extra: 1 });
  c.send({ id: 6, type: 'ping' });
  await waitFor(() => c.frames.filter((f) => f.id === 6).length === 2, 'id_reuse');
  assert.deepEqual(c.frames.filter((f) => f.id === 6)[1]?.error, {
    code: 'id_reuse',
    message: 'Identifier values have to increase.',
  });
  c.send({ type: 'ping' });
  c.send({ id: 0, type: 'ping' });
  c.send({ id: 7, type: '' });
  c.send('just a string');
  await waitFor(() => c.frames.filter((f) => f.success === false).length >= 7, 'format errors');
  const formats = c.frames.filter((f) => (f.error as { code?: string })?.code === 'invalid_format');
  assert.deepEqual(
    formats.slice(-4).map((f) => f.id),
    [null, 0, 7, 0],
  );
  assert.deepEqual(formats.at(-1)?.error, {
    code: 'invalid_format',
    message: 'Message incorrectly formatted.',
  });
  c.ws.close();
});

// HA: homeassistant/components/websocket_api/messages.py BASE_COMMAND_MESSAGE_SCHEMA (extra keys refused, humanize_error)
test('refuses extra keys with voluptuous messages', async () => {
  const c = await rawClient(home);
  assert.deepEqual((await c.ask({ id: 1, type: 'get_states', x: 1 })).error, {
    code: 'invalid_format',
    message: "extra keys not allowed @ data['x']. Got 1",
  });
  c.ws.close();
});

// HA: homeassistant/components/websocket_api/http.py async_handle ("Received invalid JSON." disconnects)
test('closes the connection on invalid JSON', async () => {
  const c = await rawClient(home);
  c.ws.send('{not json');
  await once(c.ws, 'close');
});

// HA: homeassistant/components/websocket_api/auth.py AuthPhase.async_handle
test('refuses a malformed auth message and a wrong token with HA texts', async () => {
  const c = await rawClient(home, null);
  assert.deepEqual(c.frames[0], { type: 'auth_required', ha_version: home.haVersion });
  c.send({ type: 'auth', access_token: '' });
  await once(c.ws, 'close');
  assert.deepEqual(c.frames[1], {
    type: 'auth_invalid',
    message: 'Invalid access token or password',
  });
});

// HA: homeassistant/components/websocket_api/commands.py handle_ping, handle_unsubscribe_events
test('answers ping with pong and an unknown subscription with not_found', async () => {
  const c = await rawClient(home);
  assert.deepEqual(await c.ask({ id: 1, type: 'ping' }), { id: 1, type: 'pong' });
  assert.deepEqual((await c.ask({ id: 2, type: 'unsubscribe_events', subscription: 9 })).error, {
    code: 'not_found',
    message: 'Subscription not found.',
  });
  c.ws.close();
});
