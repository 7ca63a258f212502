import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ERR_INVALID_AUTH } from 'home-assistant-js-websocket';
import { connectDevice, pairDevice } from '../helpers/devices.ts';
import { startDemoServer, type TestServer } from '../helpers/hasync.ts';
import { requestJson } from '../helpers/json-http.ts';
import { RawSocket } from '../helpers/raw-socket.ts';
import { openSse } from '../helpers/sse.ts';

let server: TestServer;
let token: string;

before(async () => {
  server = await startDemoServer();
  ({ token } = await pairDevice(server.adminUrl, server.deviceUrl, {
    areas: ['kitchen'],
  }));
});
after(async () => {
  await server.stop();
});

async function stillServing(): Promise<void> {
  const socket = await RawSocket.authenticated(server.deviceUrl, token);
  socket.send({ id: 1, type: 'ping' });
  await socket.next((f) => f.type === 'pong' && f.id === 1);
  socket.close();
  await socket.closed;
}

/** A device of its own, so a test's connections never count against another's. */
async function freshToken(): Promise<string> {
  return (await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['kitchen'] })).token;
}

describe('bad input on the device socket', () => {
  test('a wrong token gets auth_invalid and the socket is closed', async () => {
    const socket = await RawSocket.open(server.deviceUrl);
    socket.send({ type: 'auth', access_token: 'hasync_not-a-real-token' });
    await socket.next((f) => f.type === 'auth_invalid');
    await socket.closed;
  });

  test('a missing id, an unknown command, a reused id and extra keys each get Home Assistant’s error', async () => {
    // HA: homeassistant/components/websocket_api/connection.py ActiveConnection.async_handle
    const token = await freshToken();
    const socket = await RawSocket.authenticated(server.deviceUrl, token);
    socket.send({ type: 'get_states' });
    const bad = await socket.next((f) => f.type === 'result');
    assert.deepEqual(bad.error, {
      code: 'invalid_format',
      message: 'Message incorrectly formatted.',
    });
    socket.send({ id: 5, type: 'config_entries/get' });
    await socket.next(
      (f) => f.id === 5 && (f.error as { code?: string })?.code === 'unknown_command',
    );
    // An unknown command does not use up its id: Home Assistant moves on only after a handler ran.
    socket.send({ id: 5, type: 'ping' });
    await socket.next((f) => f.id === 5 && f.type === 'pong');
    socket.send({ id: 5, type: 'ping' });
    const reuse = await socket.next(
      (f) => f.id === 5 && (f.error as { code?: string })?.code === 'id_reuse',
    );
    assert.deepEqual(reuse.error, {
      code: 'id_reuse',
      message: 'Identifier values have to increase.',
    });
    socket.send({ id: 6, type: 'ping', extra: 1 });
    const extra = await socket.next((f) => f.id === 6);
    assert.equal((extra.error as { code?: string })?.code, 'invalid_format');
    assert.match(String((extra.error as { message?: string }).message), /extra keys not allowed/);
    // A schema error counts as handled, so its id is used up.
    socket.send({ id: 6, type: 'ping' });
    await socket.next((f) => f.id === 6 && (f.error as { code?: string })?.code === 'id_reuse');
    socket.send({ id: 7, type: 'ping' });
    await socket.next((f) => f.id === 7 && f.type === 'pong');
    socket.close();
  });

  test('a JSON array of messages is handled one by one', async () => {
    // HA: homeassistant/components/websocket_api/http.py — a list is split into its messages
    const socket = await RawSocket.authenticated(server.deviceUrl, token);
    socket.send([
      { id: 1, type: 'ping' },
      { id: 2, type: 'ping' },
    ]);
    await socket.next((f) => f.id === 1 && f.type === 'pong');
    await socket.next((f) => f.id === 2 && f.type === 'pong');
    socket.close();
  });

  test('invalid JSON closes the socket, as Home Assistant does', async () => {
    // HA: homeassistant/components/websocket_api/http.py disconnect_warn "Received invalid JSON."
    const socket = await RawSocket.authenticated(server.deviceUrl, token);
    socket.send('{"id": 1, "type": ');
    assert.equal(await socket.closed, 1000);
    await stillServing();
  });

  test('a frame over 64 KiB closes that socket with 1009 and the server keeps serving', async () => {
    const socket = await RawSocket.authenticated(server.deviceUrl, token);
    socket.send({ id: 1, type: 'ping', padding: 'x'.repeat(70 * 1024) });
    assert.equal(await socket.closed, 1009);
    await stillServing();
  });

  test('a sixth connection of one device closes the oldest; a valid token never gets auth_invalid', async () => {
    const token = await freshToken();
    const sockets: RawSocket[] = [];
    for (let i = 0; i < 5; i++)
      sockets.push(await RawSocket.authenticated(server.deviceUrl, token));
    const sixth = await RawSocket.open(server.deviceUrl);
    sixth.send({ type: 'auth', access_token: token });
    await sixth.next((f) => f.type === 'auth_ok');
    assert.equal(await sockets[0]?.closed, 1001);
    sixth.send({ id: 1, type: 'ping' });
    await sixth.next((f) => f.id === 1 && f.type === 'pong');
    for (const socket of [...sockets.slice(1), sixth]) socket.close();
    await Promise.all([...sockets.slice(1), sixth].map((s) => s.closed));
    await stillServing();
  });

  test('an unauthenticated socket idle past 10 s is closed', async () => {
    const socket = await RawSocket.open(server.deviceUrl);
    const started = Date.now();
    const code = await socket.closed;
    assert.equal(code, 1008);
    assert.ok(Date.now() - started >= 9000, 'not before the 10 s allowance');
  });

  test('thousands of random malformed frames leak nothing upstream and the server still answers', async () => {
    const demo = server.hasync.demo;
    assert.ok(demo);
    const callsBefore = demo.calls.length;
    const frames = randomFrames(3000);
    const token = await freshToken();
    const sockets = await Promise.all(
      [0, 1, 2].map(() => RawSocket.authenticated(server.deviceUrl, token)),
    );
    for (const [i, frame] of frames.entries()) sockets[i % 3]?.send(frame);
    for (const socket of sockets) {
      socket.send({ id: 9_000_000, type: 'ping' });
      // Invalid JSON or the message rate limit may have closed it already.
      await Promise.race([
        socket.next((f) => f.id === 9_000_000, 20_000).catch(() => undefined),
        socket.closed,
      ]);
      socket.close();
    }
    await stillServing();
    assert.equal(demo.calls.length, callsBefore, 'no service call reached Home Assistant');
  });
});

describe('revocation', () => {
  test('closes open sockets with 4001 within a second and the token then gets auth_invalid', async () => {
    const device = await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['office'] });
    const conn = await connectDevice(server.deviceUrl, device.token);
    const raw = await RawSocket.authenticated(server.deviceUrl, device.token);
    const t0 = Date.now();
    const res = await requestJson('DELETE', `${server.adminUrl}/api/devices/${device.device_id}`);
    assert.equal(res.status, 204);
    assert.equal(await raw.closed, 4001);
    assert.ok(Date.now() - t0 < 1000);
    conn.close();
    await assert.rejects(
      connectDevice(server.deviceUrl, device.token),
      (err) => err === ERR_INVALID_AUTH,
    );
  });
});

describe('presence', () => {
  test('a connected device is online with a fresh last_seen_at, and offline after it leaves', async () => {
    const device = await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['garden'] });
    const url = `${server.adminUrl}/api/devices/${device.device_id}`;
    const before = Date.now();
    const events = await openSse(`${server.adminUrl}/api/events`);
    const socket = await RawSocket.authenticated(server.deviceUrl, device.token);
    assert.deepEqual((await events.next('device_online')).data, { device_id: device.device_id });
    const online = await requestJson<{ online: boolean; last_seen_at: string | null }>('GET', url);
    assert.equal(online.body.online, true);
    assert.ok(online.body.last_seen_at && Date.parse(online.body.last_seen_at) >= before - 1000);
    socket.close();
    await socket.closed;
    const deadline = Date.now() + 2000;
    let offline = false;
    while (!offline && Date.now() < deadline) {
      offline = (await requestJson<{ online: boolean }>('GET', url)).body.online === false;
    }
    assert.ok(offline);
    assert.deepEqual((await events.next('device_offline')).data, { device_id: device.device_id });
    events.close();
  });
});

/** Frames shaped to hit every parsing path: bad JSON, wrong types, huge ids, unknown commands. */
function randomFrames(count: number): string[] {
  const types = [
    'call_service',
    'subscribe_entities',
    'unsubscribe_events',
    'get_states',
    'nope',
    'auth',
    7,
    null,
  ];
  const frames: string[] = [];
  for (let i = 0; i < count; i++) {
    const bytes = randomBytes(8);
    switch (i % 6) {
      case 0:
        frames.push(randomBytes(1 + (bytes[0] ?? 0)).toString('latin1'));
        break;
      case 1:
        frames.push(JSON.stringify({ id: i + 1, type: types[(bytes[1] ?? 0) % types.length] }));
        break;
      case 2:
        frames.push(
          JSON.stringify({ id: -i, type: 'call_service', domain: 'lock', service: 'unlock' }),
        );
        break;
      case 3:
        frames.push(
          JSON.stringify({
            id: 'x',
            type: 'call_service',
            domain: 'lock',
            service: 'unlock',
            target: { entity_id: 'lock.front_door' },
          }),
        );
        break;
      case 4:
        frames.push(JSON.stringify([i, 'call_service']));
        break;
      default:
        frames.push(
          JSON.stringify({
            id: 1,
            type: 'call_service',
            domain: 'lock',
            service: 'unlock',
            target: { entity_id: ['lock.front_door'] },
          }),
        );
    }
  }
  return frames;
}

describe('a device that cannot keep up', () => {
  test('is closed once its send buffer overflows, while others keep getting changes', async () => {
    const demo = server.hasync.demo;
    assert.ok(demo);
    const device = await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['bathroom'] });
    const slow = await RawSocket.authenticated(server.deviceUrl, device.token);
    slow.send({ id: 1, type: 'subscribe_entities' });
    await slow.next((f) => f.type === 'event');
    const healthy = await RawSocket.authenticated(server.deviceUrl, device.token);
    healthy.send({ id: 1, type: 'subscribe_entities' });
    await healthy.next((f) => f.type === 'event');
    // The slow device stops reading; the server must not buffer for it without bound.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const bulk = 'x'.repeat(60 * 1024);
    for (let i = 0; i < 400 && !server.logs().includes('cannot keep up'); i++) {
      demo.setState('light.bathroom_mirror', i % 2 ? 'on' : 'off', {
        friendly_name: 'Mirror',
        bulk: `${i}${bulk}`,
      });
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.match(server.logs(), /device cannot keep up; closing/);
    demo.setState('light.bathroom_mirror', 'on', {
      friendly_name: 'Mirror',
      marker: 'after-overflow',
    });
    await healthy.next((f) => JSON.stringify(f).includes('after-overflow'), 5000);
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    await slow.closed;
    healthy.close();
    // It can come back and resync.
    const again = await RawSocket.authenticated(server.deviceUrl, device.token);
    again.send({ id: 1, type: 'subscribe_entities' });
    const first = await again.next((f) => f.type === 'event');
    assert.ok(JSON.stringify(first).includes('after-overflow'));
    again.close();
  });
});
