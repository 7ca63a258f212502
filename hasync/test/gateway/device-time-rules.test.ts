import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Connection } from 'home-assistant-js-websocket';
import { waitFor } from '../fakes/demo-home.ts';
import { ManualTimers } from '../fakes/manual-timers.ts';
import { connectDevice, pairDevice, patchDevice } from '../helpers/devices.ts';
import { startDemoServer, type TestServer } from '../helpers/hasync.ts';
import { requestJson } from '../helpers/json-http.ts';
import { RawSocket } from '../helpers/raw-socket.ts';
import { openSse } from '../helpers/sse.ts';

/**
 * End dates and schedules on HAsync's injected clock (the demo home's time zone is
 * Europe/Amsterdam): live sessions close when the time comes, new connections are closed the same
 * way without auth_invalid (the client keeps its token), and Home Assistant's own client comes
 * back by itself once the admin extends the device or the window opens.
 */

// Wednesday 2 December 2026, 10:00 in Amsterdam.
let now = Date.parse('2026-12-02T09:00:00Z');
// The checks of end dates and schedules (once a second) run when a test moves time on.
const timers = new ManualTimers();
const clock = { now: () => now, timers };
/**
 * Moves HAsync's clock on by `ms` and lets one second pass on its timers: one check of end dates
 * and schedules runs, and no heartbeat (which would drop the sockets after a jump of an hour,
 * their pongs having had no time to arrive).
 */
const pass = (ms: number) => {
  now += ms;
  timers.tick(1000);
};
let server: TestServer;

before(async () => {
  server = await startDemoServer({ clock });
});
after(async () => {
  await server.stop();
});

/** Records the close code and reason of every socket the connection uses. */
function closesOf(conn: Connection): { code: number; reason: string }[] {
  const closes: { code: number; reason: string }[] = [];
  const watch = () =>
    conn.socket?.addEventListener('close', (ev) =>
      closes.push({ code: ev.code, reason: ev.reason }),
    );
  watch();
  conn.addEventListener('ready', watch);
  return closes;
}

/** A fresh socket with the token: the close it gets, and whether it ever saw auth_invalid. */
async function connectRaw(
  token: string,
): Promise<{ code: number; reason: string; frames: string[] }> {
  const socket = await RawSocket.open(server.deviceUrl);
  const reason = new Promise<string>((resolve) =>
    socket.ws.on('close', (_code, why) => resolve(why.toString())),
  );
  socket.send({ type: 'auth', access_token: token });
  const code = await socket.closed;
  return { code, reason: await reason, frames: socket.frames.map((f) => String(f.type)) };
}

function states(token: string) {
  return fetch(`${server.deviceUrl}/api/states`, { headers: { authorization: `Bearer ${token}` } });
}

describe('an end date', () => {
  let conn: Connection;
  let device: { device_id: string; token: string };

  before(async () => {
    device = await pairDevice(server.adminUrl, server.deviceUrl, {
      name: 'Guest phone',
      areas: ['kitchen'],
    });
    conn = await connectDevice(server.deviceUrl, device.token);
  });
  after(() => conn.close());

  test('closes the sessions with 4001 when it passes, and the token stops working', async () => {
    const closes = closesOf(conn);
    const expiresAt = new Date(now + 3_600_000).toISOString();
    const res = await patchDevice(server.adminUrl, device.device_id, {
      expires_at: expiresAt.replace('.000Z', '+00:00'),
    });
    assert.equal(res.status, 200);
    assert.equal((res.body as { expires_at: string }).expires_at, expiresAt, 'kept in UTC');
    const events = await openSse(`${server.adminUrl}/api/events`);
    try {
      pass(3_599_000);
      // A round trip: a close sent at the check would have arrived before the pong.
      await conn.ping();
      assert.equal(closes.length, 0, 'one second before the end it still works');
      pass(1000);
      await waitFor(() => closes.find((c) => c.code === 4001), 'the session closed with 4001');
      const expired = await events.next('device_expired');
      assert.deepEqual(expired.data, { device_id: device.device_id, expires_at: expiresAt });
    } finally {
      events.close();
    }
    assert.equal((await states(device.token)).status, 401);
    const raw = await connectRaw(device.token);
    assert.deepEqual([raw.code, raw.reason], [4001, 'device expired']);
    assert.ok(!raw.frames.includes('auth_invalid'), 'no auth_invalid: the client keeps its token');
    const audit = await requestJson<{ action: string; detail: { changes?: string[] } }[]>(
      'GET',
      `${server.adminUrl}/api/audit?limit=20`,
    );
    assert.ok(audit.body.some((e) => e.action === 'device_expired'));
    const changes = audit.body.flatMap((e) => e.detail.changes ?? []);
    assert.ok(changes.includes('expires 2026-12-02 11:00'), JSON.stringify(changes));
  });

  test('extending it lets the same token in again; the client reconnects by itself', async () => {
    const res = await patchDevice(server.adminUrl, device.device_id, {
      expires_at: new Date(now + 86_400_000).toISOString(),
    });
    assert.equal(res.status, 200);
    await waitFor(() => conn.connected, 'the client back', 15_000);
    assert.equal((await states(device.token)).status, 200);
  });
});

describe('a schedule', () => {
  let conn: Connection;
  let device: { device_id: string; token: string };
  const hours = 'Available weekdays 09:00–17:00';

  before(async () => {
    device = await pairDevice(server.adminUrl, server.deviceUrl, {
      name: 'Cleaner phone',
      areas: ['kitchen'],
    });
    conn = await connectDevice(server.deviceUrl, device.token);
  });
  after(() => conn.close());

  test('inside its window nothing changes; at its end sessions close with the hours as reason', async () => {
    // Thursday 3 December, 16:00 in Amsterdam.
    now = Date.parse('2026-12-03T15:00:00Z');
    const closes = closesOf(conn);
    const res = await patchDevice(server.adminUrl, device.device_id, {
      schedule: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }],
    });
    assert.equal(res.status, 200);
    pass(1000);
    await conn.ping();
    assert.ok(conn.connected && closes.length === 0, 'inside the window');
    pass(Date.parse('2026-12-03T16:00:00Z') - now);
    await waitFor(() => closes.find((c) => c.code === 4002), 'the session closed with 4002');
    assert.equal(closes[0]?.reason, hours);
  });

  test('outside its window a new connection is closed the same way and REST answers 403', async () => {
    const raw = await connectRaw(device.token);
    assert.deepEqual([raw.code, raw.reason], [4002, hours]);
    assert.ok(!raw.frames.includes('auth_invalid'));
    const rest = await states(device.token);
    assert.equal(rest.status, 403);
    assert.deepEqual(await rest.json(), { message: hours });
  });

  test('when the window opens, the client comes back by itself', async () => {
    // Friday 4 December, 09:00 in Amsterdam.
    now = Date.parse('2026-12-04T08:00:00Z');
    await waitFor(() => conn.connected, 'the client back', 15_000);
    assert.equal((await states(device.token)).status, 200);
  });

  test('removing the schedule or setting one that excludes now acts on the live session', async () => {
    const closes = closesOf(conn);
    const res = await patchDevice(server.adminUrl, device.device_id, {
      schedule: [{ days: ['sat', 'sun'], from: '22:00', to: '06:00' }],
    });
    assert.equal(res.status, 200);
    await waitFor(() => closes.find((c) => c.code === 4002), 'closed at once');
    assert.equal(closes[0]?.reason, 'Available weekends 22:00–06:00');
    await patchDevice(server.adminUrl, device.device_id, { schedule: null });
    await waitFor(() => conn.connected, 'the client back', 15_000);
  });

  test('refuses malformed windows', async () => {
    for (const [schedule, why] of [
      [[{ days: ['someday'], from: '09:00', to: '17:00' }], /days\/0 must be equal to one of/],
      [[{ days: ['mon'], from: '9:00', to: '17:00' }], /from must match pattern/],
      [[{ days: ['mon'], from: '09:00', to: '24:00' }], /to must match pattern/],
      [[{ days: [], from: '09:00', to: '17:00' }], /days must NOT have fewer than 1 items/],
      [[{ days: ['mon'], from: '09:00' }], /must have required property 'to'/],
      ['weekdays', /schedule must be array,null/],
    ] as const) {
      const res = await patchDevice(server.adminUrl, device.device_id, { schedule });
      assert.equal(res.status, 400, JSON.stringify(schedule));
      assert.match(errorMessageOf(res.body), why, JSON.stringify(schedule));
    }
    const res = await patchDevice(server.adminUrl, device.device_id, {
      expires_at: '2026-12-31 23:00',
    });
    assert.equal(res.status, 400, 'an end date needs its zone');
    assert.match(errorMessageOf(res.body), /expires_at must match pattern/);
  });
});

/** The message of an admin API error body. */
function errorMessageOf(body: unknown): string {
  return (body as { error?: { message?: string } }).error?.message ?? '';
}
