import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HassEntities } from 'home-assistant-js-websocket';
import { waitFor } from '../fakes/demo-home.ts';
import { connectDevice, pairDevice, patchDevice, watchEntities } from '../helpers/devices.ts';
import { startDemoServer, type TestServer } from '../helpers/hasync.ts';

/**
 * The picture URLs a device gets (`entity_picture` of cameras and media players) are bound to that
 * device: the image proxy asks on every request whether the device may still see the entity, so
 * revocation, an end date, the end of its hours and a scope change stop a URL already handed out
 * at once, and one device's URL is no key to anything else.
 * HA: homeassistant/components/camera/__init__.py CameraView (the token in the query).
 */

// Wednesday 2 December 2026, 10:00 in Amsterdam (the demo home's time zone).
let now = Date.parse('2026-12-02T09:00:00Z');
const clock = { now: () => now };
let server: TestServer;

before(async () => {
  server = await startDemoServer({ clock });
});
after(async () => {
  await server.stop();
});

interface Paired {
  device_id: string;
  token: string;
}

async function pictureUrl(device: Paired, entityId = 'camera.office'): Promise<string> {
  const res = await fetch(`${server.deviceUrl}/api/states/${entityId}`, {
    headers: { authorization: `Bearer ${device.token}` },
  });
  assert.equal(res.status, 200);
  const state = (await res.json()) as { attributes: { entity_picture: string } };
  return state.attributes.entity_picture;
}

async function load(url: string): Promise<number> {
  const res = await fetch(`${server.deviceUrl}${url}`);
  await res.arrayBuffer();
  return res.status;
}

function tokenOf(url: string): string {
  return new URL(url, server.deviceUrl).searchParams.get('token') ?? '';
}

async function pairWithCamera(name: string): Promise<Paired> {
  return pairDevice(server.adminUrl, server.deviceUrl, {
    name,
    areas: ['kitchen'],
    entities: ['camera.office'],
  });
}

describe('a picture URL', () => {
  test('loads for its device, and carries that device, not another’s', async () => {
    const a = await pairWithCamera('Picture A');
    const b = await pairWithCamera('Picture B');
    const [urlA, urlB] = [await pictureUrl(a), await pictureUrl(b)];
    assert.match(tokenOf(urlA), new RegExp(`^${a.device_id}\\.[0-9a-f]{64}$`));
    assert.notEqual(tokenOf(urlA), tokenOf(urlB));
    assert.equal(await load(urlA), 200);
    assert.equal(await load(urlB), 200);
  });

  test('the same scope over the WebSocket still gives each device its own token', async () => {
    const TV = 'media_player.living_room_tv';
    const scope = { areas: ['kitchen'], entities: [TV] };
    const a = await pairDevice(server.adminUrl, server.deviceUrl, { name: 'Socket A', ...scope });
    const b = await pairDevice(server.adminUrl, server.deviceUrl, { name: 'Socket B', ...scope });
    const [connA, connB] = [
      await connectDevice(server.deviceUrl, a.token),
      await connectDevice(server.deviceUrl, b.token),
    ];
    const [watchA, watchB] = [await watchEntities(connA), await watchEntities(connB)];
    try {
      const demo = server.hasync.demo ?? assert.fail('demo mode');
      // A player's artwork goes while it is off and comes back with a change fanned out to both
      // (one scope group, one encoding of the change for everything but the picture).
      demo.setState(TV, 'off');
      const off = (entities: () => HassEntities) => entities()[TV]?.state === 'off';
      await waitFor(() => off(watchA.current) && off(watchB.current), 'the TV off for both');
      demo.setState(TV, 'playing');
      const picture = (entities: () => HassEntities) =>
        entities()[TV]?.state === 'playing' && entities()[TV]?.attributes.entity_picture;
      const [urlA, urlB] = [
        String(await waitFor(() => picture(watchA.current), 'A sees the artwork')),
        String(await waitFor(() => picture(watchB.current), 'B sees the artwork')),
      ];
      assert.match(urlA, /^\/api\/media_player_proxy\//);
      assert.ok(tokenOf(urlA).startsWith(`${a.device_id}.`), urlA);
      assert.ok(tokenOf(urlB).startsWith(`${b.device_id}.`), urlB);
      assert.equal(await load(urlA), 200);
      assert.equal(await load(urlB), 200);
    } finally {
      watchA.stop();
      watchB.stop();
      connA.close();
      connB.close();
    }
  });

  test('stops at once when the entity leaves the scope, and works again when it returns', async () => {
    const device = await pairWithCamera('Picture scope');
    const url = await pictureUrl(device);
    assert.equal(await load(url), 200);
    let res = await patchDevice(server.adminUrl, device.device_id, { entities: [] });
    assert.equal(res.status, 200);
    assert.equal(await load(url), 401);
    res = await patchDevice(server.adminUrl, device.device_id, { entities: ['camera.office'] });
    assert.equal(res.status, 200);
    assert.equal(await load(url), 200);
    // Its area still reaches it, but it is excluded.
    res = await patchDevice(server.adminUrl, device.device_id, {
      areas: ['kitchen', 'office'],
      entities: [],
      excluded: ['camera.office'],
    });
    assert.equal(res.status, 200);
    assert.equal(await load(url), 401, 'excluded');
  });

  test('stops at once when the device is revoked', async () => {
    const device = await pairWithCamera('Picture revoked');
    const url = await pictureUrl(device);
    assert.equal(await load(url), 200);
    const res = await fetch(`${server.adminUrl}/api/devices/${device.device_id}`, {
      method: 'DELETE',
    });
    assert.equal(res.status, 204);
    assert.equal(await load(url), 401);
  });

  test('stops when the device passes its end date, and works again once extended', async () => {
    const device = await pairWithCamera('Picture guest');
    const url = await pictureUrl(device);
    let res = await patchDevice(server.adminUrl, device.device_id, {
      expires_at: new Date(now + 60_000).toISOString(),
    });
    assert.equal(res.status, 200);
    assert.equal(await load(url), 200);
    now += 90_000; // past the end date, still inside the token's own window
    try {
      assert.equal(await load(url), 401);
      res = await patchDevice(server.adminUrl, device.device_id, { expires_at: null });
      assert.equal(res.status, 200);
      assert.equal(await load(url), 200, 'the same URL, once the device is extended');
    } finally {
      now -= 90_000;
    }
  });

  test('stops when the device’s hours end', async () => {
    const device = await pairWithCamera('Picture hours');
    const url = await pictureUrl(device);
    // Wednesday 10:00 in Amsterdam: inside 09:00–10:02.
    const res = await patchDevice(server.adminUrl, device.device_id, {
      schedule: [{ days: ['wed'], from: '09:00', to: '10:02' }],
    });
    assert.equal(res.status, 200);
    assert.equal(await load(url), 200);
    now += 3 * 60_000; // 10:03
    try {
      assert.equal(await load(url), 401);
    } finally {
      now -= 3 * 60_000;
    }
    assert.equal(await load(url), 200, 'inside the hours again');
  });

  test('opens nothing for another device or another entity, and forged tokens open nothing', async () => {
    const owner = await pairWithCamera('Picture owner');
    const bystander = await pairDevice(server.adminUrl, server.deviceUrl, {
      name: 'Picture bystander',
      areas: ['kitchen'],
    });
    const url = await pictureUrl(owner);
    const mac = tokenOf(url).split('.')[1];
    const swapped = url.replace(owner.device_id, bystander.device_id);
    assert.equal(await load(swapped), 401, 'the bystander’s id on the owner’s MAC');
    const elsewhere = url.replace('camera.office', 'camera.front_door');
    assert.equal(await load(elsewhere), 401, 'the token on another camera');
    for (const token of [
      `${owner.device_id}.${'0'.repeat(64)}`,
      mac,
      `${owner.device_id}.${mac}.x`,
      `../${owner.device_id}.${mac}`,
    ])
      assert.equal(await load(`/api/camera_proxy/camera.office?token=${token}`), 401, token);
    // The bystander's own device token opens no picture outside its scope either.
    const res = await fetch(`${server.deviceUrl}/api/camera_proxy/camera.office`, {
      headers: { authorization: `Bearer ${bystander.token}` },
    });
    assert.equal(res.status, 401);
  });
});
