/**
 * The auth phase's edges, compared with Home Assistant itself: the close code after auth_invalid,
 * voluptuous's words for a malformed auth message, and "Invalid access token or password" for a
 * well-formed message without a usable token.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RawSocket } from '../helpers/raw-socket.ts';
import { type Conformance, startConformance } from './conformance.ts';

let c: Conformance;

before(async () => {
  c = await startConformance();
});
after(async () => {
  await c?.stop();
});

/** Sends one auth-phase message to both sides; returns what each sent back and its close code. */
async function bothReply(message: unknown) {
  const ha = await RawSocket.open(c.upstream.url);
  const device = await RawSocket.open(c.server.deviceUrl);
  ha.send(message);
  device.send(message);
  const [haCode, deviceCode] = await Promise.all([ha.closed, device.closed]);
  return {
    ha: { frames: ha.frames.slice(1), code: haCode },
    device: { frames: device.frames.slice(1), code: deviceCode },
  };
}

describe('auth phase edges answer as Home Assistant does', () => {
  // HA: homeassistant/components/websocket_api/http.py WebSocketHandler._async_handle_auth_phase
  // (wsock.close() after auth_invalid: code 1000)
  test('auth_invalid for a bad token closes with upstream close code', async () => {
    const { ha, device } = await bothReply({ type: 'auth', access_token: 'not-a-valid-token' });
    assert.deepEqual(device.frames, ha.frames);
    assert.equal(device.code, ha.code);
  });

  // HA: homeassistant/components/websocket_api/auth.py AuthPhase.async_handle (AUTH_MESSAGE_SCHEMA,
  // humanize_error)
  for (const message of [
    { type: 'ping', id: 1 },
    { type: 'auth', access_token: 123 },
    [{ type: 'auth', access_token: 'x' }],
  ]) {
    test(`a malformed auth message ${JSON.stringify(message)} gets upstream auth_invalid`, async () => {
      const { ha, device } = await bothReply(message);
      assert.deepEqual(device, ha);
    });
  }

  // HA: homeassistant/components/websocket_api/auth.py AuthPhase.async_handle (no access_token:
  // falls through to "Invalid access token or password")
  for (const message of [
    { type: 'auth' },
    { type: 'auth', api_password: 'x' },
    { type: 'auth', access_token: '' },
  ]) {
    test(`an auth message without a usable token ${JSON.stringify(message)} is an invalid token`, async () => {
      const { ha, device } = await bothReply(message);
      assert.deepEqual(device, ha);
    });
  }
});
