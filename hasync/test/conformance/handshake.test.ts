import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Connection, getStates, type HassEntity } from 'home-assistant-js-websocket';
import { RawSocket } from '../helpers/raw-socket.ts';
import {
  assertScopedConfig,
  bothAnswer,
  type Conformance,
  entitiesInArea,
  startConformance,
} from './conformance.ts';

let c: Conformance;

before(async () => {
  c = await startConformance();
});
after(async () => {
  await c?.stop();
});

/** The first frame a fresh socket receives, before any authentication. */
async function firstFrame(url: string): Promise<Record<string, unknown>> {
  const socket = await RawSocket.open(url);
  socket.close();
  const [frame] = socket.frames;
  assert.ok(frame);
  return frame;
}

async function authReply(url: string, token: string) {
  const socket = await RawSocket.open(url);
  socket.send({ type: 'auth', access_token: token });
  const reply = await socket.next((f) => f.type !== 'auth_required');
  return { socket, reply };
}

const sortedKeys = (value: object) => Object.keys(value).sort();

describe('the auth phase answers as Home Assistant does', () => {
  // HA: homeassistant/components/websocket_api/auth.py auth_required_message
  test('auth_required has the same keys and ha_version as upstream', async () => {
    const ha = await firstFrame(c.upstream.url);
    const device = await firstFrame(c.server.deviceUrl);
    assert.equal(ha.type, 'auth_required');
    assert.deepEqual(sortedKeys(device), sortedKeys(ha));
    assert.deepEqual(device, ha);
  });

  // HA: homeassistant/components/websocket_api/auth.py AuthPhase.async_handle (auth_ok_message)
  test('auth_ok has the same keys and ha_version as upstream', async () => {
    const { token } = await c.pairDevice({ areas: ['kitchen'] });
    const ha = await authReply(c.upstream.url, c.upstream.token);
    const device = await authReply(c.server.deviceUrl, token);
    ha.socket.close();
    device.socket.close();
    assert.equal(ha.reply.type, 'auth_ok');
    assert.deepEqual(device.reply, ha.reply);
  });

  // HA: homeassistant/components/websocket_api/auth.py auth_invalid_message, then the socket closes
  test('a bad token gets auth_invalid with upstream message, and the socket closes', async () => {
    const ha = await authReply(c.upstream.url, 'not-a-valid-token');
    const device = await authReply(c.server.deviceUrl, 'not-a-valid-token');
    assert.equal(ha.reply.type, 'auth_invalid');
    assert.deepEqual(device.reply, ha.reply);
    await Promise.all([ha.socket.closed, device.socket.closed]);
  });
});

describe('commands answer as Home Assistant does', () => {
  let ha: Connection;
  let device: Connection;

  before(async () => {
    const { token } = await c.pairDevice({ areas: ['kitchen'] });
    ha = await c.haClient();
    device = await c.deviceClient(token);
  });

  // HA: homeassistant/components/websocket_api/commands.py handle_ping (pong_message)
  test('ping answers a pong frame identical to upstream', async () => {
    const haSocket = await RawSocket.authenticated(c.upstream.url, c.upstream.token);
    const { token } = await c.pairDevice({ areas: ['kitchen'] });
    const deviceSocket = await RawSocket.authenticated(c.server.deviceUrl, token);
    haSocket.send({ id: 7, type: 'ping' });
    deviceSocket.send({ id: 7, type: 'ping' });
    const [haPong, devicePong] = await Promise.all([
      haSocket.next((f) => f.id === 7),
      deviceSocket.next((f) => f.id === 7),
    ]);
    haSocket.close();
    deviceSocket.close();
    assert.deepEqual(haPong, { id: 7, type: 'pong' });
    assert.deepEqual(devicePong, haPong);
  });

  // HA: homeassistant/components/websocket_api/commands.py handle_supported_features
  test('supported_features answers a null result as upstream', async () => {
    const [answer] = await bothAnswer(c, [
      { id: 1, type: 'supported_features', features: { coalesce_messages: 1 } },
    ]);
    assert.ok(answer);
    assert.deepEqual(answer.ha, { id: 1, type: 'result', success: true, result: null });
    assert.deepEqual(answer.device, answer.ha);
  });

  // HA: homeassistant/components/websocket_api/connection.py ActiveConnection.async_handle
  // (unknown_command, id_reuse, and invalid_format for a message without an id)
  test('an unknown command, a reused id and a missing id get the upstream answers', async () => {
    const answers = await bothAnswer(c, [
      { id: 4, type: 'bogus/command' },
      // An unknown command does not use up its id: HA answers this ping.
      { id: 4, type: 'ping' },
      { id: 4, type: 'ping' },
      { type: 'ping' },
    ]);
    assert.equal(answers.length, 4);
    for (const { ha, device } of answers) assert.deepEqual(device, ha);
    assert.deepEqual(
      answers.map(({ ha }) => (ha.error as { code: string } | undefined)?.code ?? ha.type),
      ['unknown_command', 'pong', 'id_reuse', 'invalid_format'],
    );
  });

  // HA: homeassistant/components/websocket_api/commands.py handle_get_states
  test('get_states gives the in-scope entities exactly as upstream states them', async () => {
    const [upstreamStates, deviceStates] = await Promise.all([getStates(ha), getStates(device)]);
    const byId = new Map(upstreamStates.map((s) => [s.entity_id, s]));
    assert.ok(deviceStates.length > 0, 'the kitchen has entities');
    for (const state of deviceStates) {
      const original = byId.get(state.entity_id);
      assert.ok(original, `${state.entity_id} exists upstream`);
      assert.deepEqual(sortedKeys(state), sortedKeys(original), state.entity_id);
      assert.deepEqual(state, original, state.entity_id);
    }
  });

  test('get_states gives exactly the entities upstream places in the scoped area', async () => {
    const expected = await entitiesInArea(ha, 'kitchen');
    assert.ok(expected.length > 0, 'upstream has entities in the kitchen');
    const deviceStates = await getStates(device);
    assert.deepEqual(deviceStates.map((s) => s.entity_id).sort(), expected);
  });

  // HA: homeassistant/core.py State.as_dict (datetime.isoformat of UTC times)
  test('get_states timestamps keep the upstream wire format', async () => {
    const [upstreamStates, deviceStates] = await Promise.all([getStates(ha), getStates(device)]);
    const byId = new Map<string, HassEntity>(upstreamStates.map((s) => [s.entity_id, s]));
    for (const state of deviceStates) {
      const original = byId.get(state.entity_id);
      assert.ok(original);
      assert.equal(state.last_changed, original.last_changed, state.entity_id);
      assert.equal(state.last_updated, original.last_updated, state.entity_id);
    }
  });

  // HA: homeassistant/components/websocket_api/commands.py handle_get_config (Config.as_dict)
  test('get_config is what upstream answers its non-admin user, with the home’s location, paths and URLs blanked', async () => {
    const user = await c.haClient('user');
    const [upstreamConfig, deviceConfig, states] = await Promise.all([
      user.sendMessagePromise<Record<string, unknown>>({ type: 'get_config' }),
      device.sendMessagePromise<Record<string, unknown>>({ type: 'get_config' }),
      getStates(device),
    ]);
    assertScopedConfig(
      deviceConfig,
      upstreamConfig,
      states.map((s) => s.entity_id),
    );
  });

  test('get_config has the same keys as upstream and its version', async () => {
    const [upstreamConfig, deviceConfig] = await Promise.all([
      ha.sendMessagePromise<Record<string, unknown>>({ type: 'get_config' }),
      device.sendMessagePromise<Record<string, unknown>>({ type: 'get_config' }),
    ]);
    assert.deepEqual(sortedKeys(deviceConfig), sortedKeys(upstreamConfig));
    assert.equal(deviceConfig.version, upstreamConfig.version);
    assert.equal(deviceConfig.state, upstreamConfig.state);
  });
});
