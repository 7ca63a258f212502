import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  type Connection,
  callService,
  createConnection,
  createLongLivedTokenAuth,
  getStates,
} from 'home-assistant-js-websocket';
import { entitiesInArea } from '../conformance/conformance.ts';
import { waitFor } from '../fakes/demo-home.ts';
import { connectDevice, pairDevice, patchDevice } from '../helpers/devices.ts';
import { startTestServer, type TestServer } from '../helpers/hasync.ts';
import { RawSocket } from '../helpers/raw-socket.ts';
import { type RealHa, startRealHa } from '../helpers/real-ha.ts';

// Runs only in `npm run test:real-ha`: issue 15's household rules with HAsync in standalone mode
// in front of real Home Assistant 2024.3.3 (its demo integration; time zone UTC). Floors and
// labels arrived in 2024.4 and are covered against the demo home (test/gateway). What is checked
// here is what reaches Home Assistant: refused calls never do, allowed ones change its states, and
// the action PIN is never in the service data Home Assistant fires its call_service event with.
// HA: homeassistant/components/lock/__init__.py (code_format), websocket_api/commands.py

let ha: RealHa;
let admin: Connection;
let server: TestServer;
let now = Date.parse('2026-12-02T10:00:00Z'); // a Wednesday
const clock = { now: () => now };

before(async () => {
  ha = await startRealHa();
  admin = await createConnection({ auth: createLongLivedTokenAuth(ha.url, ha.token) });
  server = await startTestServer({
    env: { HASYNC_HA_URL: ha.url, HASYNC_HA_TOKEN: ha.token },
    clock,
  });
  await waitFor(() => server.hasync.cache.states().size > 20, 'the cache', 30_000);
});
after(async () => {
  admin?.close();
  await server?.stop();
  await ha?.stop();
});

async function pair(rule: Record<string, unknown>) {
  const device = await pairDevice(server.adminUrl, server.deviceUrl, { name: 'Real HA device' });
  const res = await patchDevice(server.adminUrl, device.device_id, rule);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return device;
}

async function refused(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code: string; message: string };
  }
  assert.fail('expected the call to be refused');
}

async function haState(entityId: string): Promise<string | undefined> {
  return (await getStates(admin)).find((s) => s.entity_id === entityId)?.state;
}

describe('selectors Home Assistant 2024.3.3 has', () => {
  test('an area reaches what Home Assistant places in it, a domain every entity of it', async () => {
    const device = await pair({ areas: ['kitchen'], domains: ['lock'] });
    const conn = await connectDevice(server.deviceUrl, device.token);
    try {
      const haStates = await getStates(admin);
      const kitchen = (await entitiesInArea(admin, 'kitchen')).filter((id) =>
        haStates.some((s) => s.entity_id === id),
      );
      const locks = haStates.filter((s) => s.entity_id.startsWith('lock.')).map((s) => s.entity_id);
      assert.ok(locks.length >= 3, 'the demo has locks');
      const seen = (await getStates(conn)).map((s) => s.entity_id).sort();
      assert.deepEqual(seen, [...new Set([...kitchen, ...locks])].sort());
    } finally {
      conn.close();
    }
  });
});

describe('view-only and the action PIN on real locks', () => {
  let conn: Connection;
  let device: { device_id: string; token: string };
  const calls: Record<string, unknown>[] = [];
  let unsubscribe: () => Promise<void>;

  before(async () => {
    device = await pair({ domains: ['lock'], view_only: ['lock.front_door'] });
    conn = await connectDevice(server.deviceUrl, device.token);
    unsubscribe = await admin.subscribeEvents<{ data: Record<string, unknown> }>(
      (event) => calls.push(event.data),
      'call_service',
    );
  });
  after(async () => {
    await unsubscribe();
    conn.close();
  });

  test('a view-only lock is seen but its call never reaches Home Assistant', async () => {
    const before = await haState('lock.front_door');
    const err = await refused(
      callService(conn, 'lock', 'unlock', undefined, { entity_id: 'lock.front_door' }),
    );
    assert.deepEqual([err.code, err.message], ['unauthorized', 'view only']);
    assert.equal(await haState('lock.front_door'), before);
    assert.ok(!calls.some((c) => JSON.stringify(c).includes('lock.front_door')));
  });

  test('with a PIN, the lock asks for a code; the right code unlocks it and is never forwarded', async () => {
    const res = await patchDevice(server.adminUrl, device.device_id, {
      action_pin: '2468',
      pin_domains: ['lock'],
    });
    assert.equal(res.status, 200);
    const lock = (await getStates(conn)).find((s) => s.entity_id === 'lock.kitchen_door');
    assert.equal(lock?.attributes.code_format, '^\\d{4,8}$');
    await callService(conn, 'lock', 'lock', { code: '2468' }, { entity_id: 'lock.kitchen_door' });
    // HAsync's cache mirrors Home Assistant's states.
    await waitFor(
      () => server.hasync.cache.state('lock.kitchen_door')?.state === 'locked',
      'locked in Home Assistant',
      15_000,
    );
    const wrong = await refused(
      callService(conn, 'lock', 'unlock', { code: '1111' }, { entity_id: 'lock.kitchen_door' }),
    );
    assert.equal(wrong.message, 'wrong code');
    await callService(conn, 'lock', 'unlock', { code: '2468' }, { entity_id: 'lock.kitchen_door' });
    await waitFor(
      () => calls.filter((c) => c.domain === 'lock').length >= 2,
      'both calls seen by Home Assistant',
    );
    const lockCalls = calls.filter((c) => c.domain === 'lock');
    assert.deepEqual(
      lockCalls.map((c) => c.service),
      ['lock', 'unlock'],
      'the wrong code reached nothing',
    );
    assert.ok(!JSON.stringify(lockCalls).includes('2468'), JSON.stringify(lockCalls));
  });
});

describe('end date and schedule in front of real Home Assistant', () => {
  async function closeOf(token: string): Promise<[number, string]> {
    const socket = await RawSocket.open(server.deviceUrl);
    const reason = new Promise<string>((resolve) =>
      socket.ws.on('close', (_code, why) => resolve(why.toString())),
    );
    socket.send({ type: 'auth', access_token: token });
    return [await socket.closed, await reason];
  }

  test('past its end date a device is closed with 4001 and REST refuses its token', async () => {
    const device = await pair({
      domains: ['light'],
      expires_at: new Date(now + 60_000).toISOString(),
    });
    const conn = await connectDevice(server.deviceUrl, device.token);
    const closed = new Promise<number>((resolve) =>
      conn.socket?.addEventListener('close', (ev) => resolve(ev.code)),
    );
    now += 60_000;
    assert.equal(await closed, 4001);
    conn.close();
    assert.deepEqual(await closeOf(device.token), [4001, 'device expired']);
    const rest = await fetch(`${server.deviceUrl}/api/states`, {
      headers: { authorization: `Bearer ${device.token}` },
    });
    assert.equal(rest.status, 401);
  });

  test('outside its schedule (Home Assistant time zone UTC) a device is closed with 4002', async () => {
    const device = await pair({
      domains: ['light'],
      schedule: [{ days: ['wed'], from: '09:00', to: '11:00' }],
    });
    const conn = await connectDevice(server.deviceUrl, device.token);
    const closed = new Promise<[number, string]>((resolve) =>
      conn.socket?.addEventListener('close', (ev) => resolve([ev.code, ev.reason])),
    );
    now = Date.parse('2026-12-02T11:00:00Z');
    assert.deepEqual(await closed, [4002, 'Available Wed 09:00–11:00']);
    conn.close();
    assert.deepEqual(await closeOf(device.token), [4002, 'Available Wed 09:00–11:00']);
  });
});

// HA: homeassistant/components/camera/__init__.py CameraView (entity_picture
// /api/camera_proxy/<id>?token=<its access token>, rotated every 5 minutes).
describe('camera pictures of real Home Assistant, bound to the device they were given to', () => {
  const CAMERA = 'camera.demo_camera';

  async function pictureOf(token: string): Promise<string> {
    const res = await fetch(`${server.deviceUrl}/api/states/${CAMERA}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.status, 200);
    const state = (await res.json()) as { attributes: Record<string, unknown> };
    const picture = String(state.attributes.entity_picture);
    // Not Home Assistant's token: the device's picture token, as in its picture URL.
    const pictureToken = new URL(picture, server.deviceUrl).searchParams.get('token');
    assert.equal(state.attributes.access_token, pictureToken, 'access_token: the picture token');
    return picture;
  }

  /** The first bytes of the live (MJPEG) view HA's frontend opens with `access_token`. */
  async function openStream(token: string): Promise<[number, string, number]> {
    const abort = new AbortController();
    const res = await fetch(
      `${server.deviceUrl}/api/camera_proxy_stream/${CAMERA}?token=${encodeURIComponent(token)}`,
      { signal: abort.signal },
    );
    const chunk = res.body ? await res.body.getReader().read() : undefined;
    abort.abort();
    return [res.status, res.headers.get('content-type') ?? '', chunk?.value?.length ?? 0];
  }

  async function load(url: string): Promise<[number, string]> {
    const res = await fetch(`${server.deviceUrl}${url}`);
    await res.arrayBuffer();
    return [res.status, res.headers.get('content-type') ?? ''];
  }

  test('the picture loads through HAsync, and stops at once when the device ends', async () => {
    const device = await pair({ entities: [CAMERA] });
    const other = await pair({ entities: [CAMERA] });
    const url = await pictureOf(device.token);
    assert.match(url, new RegExp(`^/api/camera_proxy/${CAMERA}\\?token=${device.device_id}\\.`));
    const [status, type] = await load(url);
    assert.equal(status, 200);
    assert.match(type, /^image\//);
    // The live view: real HA streams the camera through HAsync with the device's token.
    const token = new URL(url, server.deviceUrl).searchParams.get('token') ?? '';
    const [streamStatus, streamType, bytes] = await openStream(token);
    assert.deepEqual([streamStatus, streamType.split(';')[0]], [200, 'multipart/x-mixed-replace']);
    assert.ok(bytes > 0, 'the stream sends a frame');
    assert.equal(
      (await openStream(`${other.device_id}${token.slice(token.indexOf('.'))}`))[0],
      401,
    );
    // Another device's id on this device's token opens nothing.
    assert.deepEqual(await load(url.replace(device.device_id, other.device_id)), [
      401,
      'text/plain; charset=utf-8',
    ]);
    // An end date passing, then revocation: the URL it already holds stops working at once.
    let res = await patchDevice(server.adminUrl, device.device_id, {
      expires_at: new Date(now + 60_000).toISOString(),
    });
    assert.equal(res.status, 200);
    now += 90_000;
    assert.equal((await load(url))[0], 401, 'past its end date');
    res = await patchDevice(server.adminUrl, device.device_id, { expires_at: null });
    assert.equal(res.status, 200);
    assert.equal((await load(url))[0], 200, 'extended');
    const revoked = await fetch(`${server.adminUrl}/api/devices/${device.device_id}`, {
      method: 'DELETE',
    });
    assert.equal(revoked.status, 204);
    assert.equal((await load(url))[0], 401, 'revoked');
    assert.equal((await load(await pictureOf(other.token)))[0], 200, 'the other device still');
    // The frontend's camera cards sign the path over the WebSocket first (auth/sign_path).
    const conn = await connectDevice(server.deviceUrl, other.token);
    try {
      const signed = await conn.sendMessagePromise<{ path: string }>({
        type: 'auth/sign_path',
        path: `/api/camera_proxy/${CAMERA}`,
      });
      assert.ok(signed.path.includes(`token=${other.device_id}.`), signed.path);
      const [status, type] = await load(signed.path);
      assert.deepEqual([status, /^image\//.test(type)], [200, true]);
    } finally {
      conn.close();
    }
  });
});
