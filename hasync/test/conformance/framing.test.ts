/**
 * Framing after auth, differentially: raw text frames sent alike to Home Assistant (non-admin
 * user) and to HAsync (a scoped device), comparing every frame that comes back and how the
 * socket ends. HA: homeassistant/components/websocket_api/http.py
 * WebSocketHandler._async_handle_auth_phase / _async_websocket_command_phase (a JSON array is a
 * batch handled one message at a time; invalid JSON disconnects), connection.py
 * ActiveConnection.async_handle.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RawSocket } from '../helpers/raw-socket.ts';
import { type Conformance, startConformance } from './conformance.ts';
import { openPair, type SocketPair } from './helpers-diff.ts';

let c: Conformance;

before(async () => {
  c = await startConformance();
});
after(async () => {
  await c?.stop();
});

/** Frames after auth_ok; a ping with id `marker` is sent last so each side's answers are complete. */
async function answersTo(pair: SocketPair, text: string, marker: number) {
  const frameCount = { ha: pair.ha.frames.length, device: pair.device.frames.length };
  for (const socket of [pair.ha, pair.device]) {
    socket.send(text);
    socket.send({ id: marker, type: 'ping' });
  }
  const done = (socket: RawSocket) => socket.next((f) => f.id === marker && f.type === 'pong');
  await Promise.all([done(pair.ha), done(pair.device)]);
  return {
    ha: pair.ha.frames.slice(frameCount.ha),
    device: pair.device.frames.slice(frameCount.device),
  };
}

describe('frames after auth are handled as Home Assistant handles them', () => {
  test('a JSON array of commands is answered one by one, as upstream', async () => {
    const pair = await openPair(c, { areas: ['kitchen'] });
    try {
      const batch = [
        { id: 1, type: 'ping' },
        { id: 2, type: 'supported_features', features: {} },
        { id: 3, type: 'ping' },
      ];
      const { ha, device } = await answersTo(pair, JSON.stringify(batch), 4);
      assert.deepEqual(
        ha.map((f) => f.id),
        [1, 2, 3, 4],
      );
      assert.deepEqual(device, ha);
    } finally {
      pair.close();
    }
  });

  test('a bad message inside an array gets its error, and the rest still run, as upstream', async () => {
    const pair = await openPair(c, { areas: ['kitchen'] });
    try {
      // A message that is not an object (HA answers it with id 0) is in pending/framing.pending.ts.
      const batch = [{ id: 1, type: 'ping' }, { type: 'ping' }, { id: 1, type: 'ping' }];
      const { ha, device } = await answersTo(pair, JSON.stringify(batch), 2);
      assert.ok(ha.length >= 3, JSON.stringify(ha));
      assert.deepEqual(device, ha);
    } finally {
      pair.close();
    }
  });

  test('an empty array is answered with nothing, as upstream', async () => {
    const pair = await openPair(c, { areas: ['kitchen'] });
    try {
      const { ha, device } = await answersTo(pair, '[]', 1);
      assert.deepEqual(ha, [{ id: 1, type: 'pong' }]);
      assert.deepEqual(device, ha);
    } finally {
      pair.close();
    }
  });

  // The close code is compared in pending/framing.pending.ts: the demo home's differs from HA's.
  test('invalid JSON closes the socket with no answer, as upstream', async () => {
    const pair = await openPair(c, { areas: ['kitchen'] });
    try {
      const before = { ha: pair.ha.frames.length, device: pair.device.frames.length };
      pair.ha.send('{"id": 1, "type": "ping"');
      pair.device.send('{"id": 1, "type": "ping"');
      await Promise.all([pair.ha.closed, pair.device.closed]);
      assert.deepEqual(pair.ha.frames.slice(before.ha), []);
      assert.deepEqual(pair.device.frames.slice(before.device), []);
    } finally {
      pair.close();
    }
  });
});
