import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import type { WebSocket } from 'ws';
import { DeviceSession, type SessionHost } from '../../src/gateway/device-session.ts';
import { ManualTimers } from '../fakes/manual-timers.ts';

/** A `ws` socket that records what is sent and what its TCP socket is told, in order. */
function recordingSocket(): { ws: WebSocket; calls: string[] } {
  const calls: string[] = [];
  const tcp = { cork: () => calls.push('cork'), uncork: () => calls.push('uncork') };
  const ws = {
    OPEN: 1,
    CLOSED: 3,
    readyState: 1,
    bufferedAmount: 0,
    _socket: tcp,
    send: (frame: string) => calls.push(`send ${frame}`),
  };
  return { ws: ws as unknown as WebSocket, calls };
}

const host: SessionHost = {
  timers: new ManualTimers(),
  now: () => 0,
  haVersion: () => '2024.3.3',
  attach: () => ({ refused: 'not in this test' }),
  detach: () => undefined,
  run: async () => undefined,
};

test('frames of one batch to a client without coalescing go out corked, as one write', () => {
  const { ws, calls } = recordingSocket();
  const session = new DeviceSession(ws, host, pino({ level: 'silent' }));
  session.sendFrames(['{"id":1}', '{"id":2}', '{"id":3}']);
  assert.deepEqual(calls, ['cork', 'send {"id":1}', 'send {"id":2}', 'send {"id":3}', 'uncork']);
});

test('frames of one batch to a client that asked for coalescing go out as one JSON array', () => {
  const { ws, calls } = recordingSocket();
  const session = new DeviceSession(ws, host, pino({ level: 'silent' }));
  session.coalesce = true;
  session.sendFrames(['{"id":1}', '{"id":2}']);
  assert.deepEqual(calls, ['send [{"id":1},{"id":2}]']);
});
