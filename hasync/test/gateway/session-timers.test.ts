import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { HEARTBEAT_MS } from '../../src/gateway/device-session.ts';
import { AUTH_TIMEOUT_MS } from '../../src/protocol/device-ws.ts';
import { waitFor } from '../fakes/demo-home.ts';
import { ManualTimers } from '../fakes/manual-timers.ts';
import { pairDevice } from '../helpers/devices.ts';
import { startDemoServer, type TestServer } from '../helpers/hasync.ts';

// The authentication timeout and the heartbeat run on the server clock's timers: these tests move
// them on by hand instead of waiting 10 and 60 seconds.
const timers = new ManualTimers();
let server: TestServer;

before(async () => {
  server = await startDemoServer({ clock: { now: () => Date.now(), timers } });
});
after(async () => {
  await server.stop();
});

/** A device socket recording its frames, its close code and reason, and the pings it gets. */
async function openSocket(options: { autoPong?: boolean } = {}) {
  const ws = new WebSocket(`${server.deviceUrl.replace(/^http/, 'ws')}/api/websocket`, options);
  const frames: Record<string, unknown>[] = [];
  const state = { pings: 0, close: undefined as { code: number; reason: string } | undefined };
  ws.on('message', (data) => frames.push(JSON.parse(data.toString()) as Record<string, unknown>));
  ws.on('ping', () => state.pings++);
  ws.on('close', (code, reason) => {
    state.close = { code, reason: reason.toString() };
  });
  ws.on('error', () => undefined);
  await once(ws, 'open');
  await waitFor(() => frames.some((f) => f.type === 'auth_required'), 'auth_required');
  return { ws, frames, state };
}

async function authenticated(options: { autoPong?: boolean } = {}) {
  const device = await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['kitchen'] });
  const socket = await openSocket(options);
  socket.ws.send(JSON.stringify({ type: 'auth', access_token: device.token }));
  await waitFor(() => socket.frames.some((f) => f.type === 'auth_ok'), 'auth_ok');
  return socket;
}

/** A ping's round trip, so that what the server sent before it has arrived. */
async function roundTrip(socket: Awaited<ReturnType<typeof openSocket>>, id: number) {
  socket.ws.send(JSON.stringify({ id, type: 'ping' }));
  await waitFor(() => socket.frames.some((f) => f.id === id && f.type === 'pong'), 'pong');
}

test('a socket that does not authenticate within 10 s is closed with 1008 “authentication timed out”', async () => {
  const socket = await openSocket();
  timers.tick(AUTH_TIMEOUT_MS - 1);
  // Nothing happened yet: the socket still takes an auth message, and a second socket proves the
  // server handled the tick (its messages arrive in order after any close frame of the first).
  const other = await openSocket();
  assert.equal(socket.state.close, undefined);
  timers.tick(1);
  await waitFor(() => socket.state.close, 'the close');
  assert.deepEqual(socket.state.close, { code: 1008, reason: 'authentication timed out' });
  // The second socket, opened later, has its own full 10 s.
  assert.equal(other.state.close, undefined);
  timers.tick(AUTH_TIMEOUT_MS);
  assert.deepEqual(await waitFor(() => other.state.close, 'the second close'), {
    code: 1008,
    reason: 'authentication timed out',
  });
});

test('an authenticated socket has no authentication timeout', async () => {
  const socket = await authenticated();
  timers.tick(AUTH_TIMEOUT_MS * 3);
  await roundTrip(socket, 1);
  assert.equal(socket.state.close, undefined);
  socket.ws.close();
});

test('a device that answers pings stays; one that stops answering is dropped at the next beat', async () => {
  const healthy = await authenticated();
  const silent = await authenticated({ autoPong: false });
  timers.tick(HEARTBEAT_MS);
  await waitFor(() => healthy.state.pings === 1 && silent.state.pings === 1, 'the first pings');
  await roundTrip(healthy, 1);
  // The healthy peer's pong has arrived before its pong to our ping: the next beat finds it alive.
  timers.tick(HEARTBEAT_MS);
  const dropped = await waitFor(() => silent.state.close, 'the silent device dropped');
  // Terminated, not closed politely: the client sees an abnormal closure.
  assert.equal(dropped.code, 1006);
  await waitFor(() => healthy.state.pings === 2, 'the second ping');
  await roundTrip(healthy, 2);
  assert.equal(healthy.state.close, undefined);
  healthy.ws.close();
});
