/**
 * Framing edges compared with Home Assistant itself: the close code after invalid JSON, and the id
 * a malformed message is answered with (whatever id it carried; 0 for a message that is not an
 * object).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Conformance, startConformance } from './conformance.ts';
import { openPair, type SocketPair } from './helpers-diff.ts';

let c: Conformance;

before(async () => {
  c = await startConformance();
});
after(async () => {
  await c?.stop();
});

describe('invalid JSON ends the socket as Home Assistant ends it', () => {
  // HA: homeassistant/components/websocket_api/http.py WebSocketHandler (disconnect_warn "Received
  // invalid JSON.", then wsock.close())
  test('invalid JSON closes the socket with the upstream close code', async () => {
    const pair = await openPair(c, { areas: ['kitchen'] });
    try {
      pair.ha.send('{"id": 1, "type": "ping"');
      pair.device.send('{"id": 1, "type": "ping"');
      const [haCode, deviceCode] = await Promise.all([pair.ha.closed, pair.device.closed]);
      assert.equal(deviceCode, haCode);
    } finally {
      pair.close();
    }
  });

  // HA: homeassistant/components/websocket_api/connection.py ActiveConnection.async_handle
  // (id_ = msg.get("id") if isinstance(msg, dict) else 0)
  test('a malformed message gets the id upstream echoes', async () => {
    const pair: SocketPair = await openPair(c, { areas: ['kitchen'] });
    try {
      const batch = [7, { id: 'x', type: 'ping' }, { id: 1, type: 'ping' }];
      for (const socket of [pair.ha, pair.device]) socket.send(JSON.stringify(batch));
      const pong = (f: Record<string, unknown>) => f.id === 1 && f.type === 'pong';
      await Promise.all([pair.ha.next(pong), pair.device.next(pong)]);
      assert.deepEqual(pair.device.frames.slice(1), pair.ha.frames.slice(1));
    } finally {
      pair.close();
    }
  });
});
