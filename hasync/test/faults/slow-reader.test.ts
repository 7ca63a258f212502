import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { waitFor } from '../fakes/demo-home.ts';
import { pairDevice } from '../helpers/devices.ts';
import { startDemoServer, type TestServer } from '../helpers/hasync.ts';
import { RawSocket } from '../helpers/raw-socket.ts';

const ENTITY = 'sensor.kitchen_temperature';
const CHANGES = 200;

let server: TestServer;
before(async () => {
  server = await startDemoServer();
});
after(async () => {
  await server.stop();
});

type Frame = { type?: string; event?: { c?: Record<string, { '+'?: { s?: string } }> } };

/** Every state value this socket was sent for `entityId`, in order. */
function valuesSeen(socket: RawSocket, entityId: string): string[] {
  return (socket.frames as Frame[]).flatMap((f) => {
    const s = f.type === 'event' ? f.event?.c?.[entityId]?.['+']?.s : undefined;
    return s === undefined ? [] : [s];
  });
}

async function subscribed(token: string): Promise<RawSocket> {
  const socket = await RawSocket.authenticated(server.deviceUrl, token);
  socket.send({ id: 1, type: 'subscribe_entities' });
  await socket.next((f) => f.type === 'event');
  return socket;
}

test('a device that reads slowly does not hold back another: it gets every change, in order', async () => {
  const demo = server.hasync.demo;
  assert.ok(demo);
  const slowDevice = await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['kitchen'] });
  const fastDevice = await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['kitchen'] });
  const slow = await subscribed(slowDevice.token);
  const fast = await subscribed(fastDevice.token);
  // The slow device stops reading for a while (its kernel buffers fill), then catches up.
  const socket = (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  socket.pause();
  const padding = 'p'.repeat(2048);
  const sent: string[] = [];
  for (let i = 0; i < CHANGES; i++) {
    sent.push(`${20 + i / 100}`);
    demo.setState(ENTITY, sent[i] ?? '', { unit_of_measurement: '°C', padding });
    // One change per turn, so the upstream side never merges two of them.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await waitFor(
    () => valuesSeen(fast, ENTITY).length >= CHANGES,
    'every change at the fast device',
  );
  assert.deepEqual(valuesSeen(fast, ENTITY), sent);
  socket.resume();
  // The slow one may get changes merged, but it ends on the latest value and stays connected.
  await waitFor(
    () => valuesSeen(slow, ENTITY).at(-1) === sent.at(-1),
    'the slow device catching up',
  );
  assert.equal(slow.closeCode, undefined);
  slow.close();
  fast.close();
});
