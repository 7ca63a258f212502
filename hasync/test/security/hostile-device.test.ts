import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Connection, getStates } from 'home-assistant-js-websocket';
import { waitFor } from '../fakes/demo-home.ts';
import { connectDevice, pairDevice } from '../helpers/devices.ts';
import { startDemoServer, type TestServer } from '../helpers/hasync.ts';

// A device scoped to the kitchen plus a few chosen entities tries every way around its scope
// (issue 13): services named by script, notifications, fields naming other entities, templates,
// "all", a group reaching outside, side doors in what it reads. Each is refused, nothing reaches
// the demo home, and another device is still served.

let server: TestServer;
let conn: Connection;
let other: Connection;

const EXTRA = [
  'scene.movie_night',
  'media_player.living_room_speaker',
  'camera.office',
  'light.kitchen_and_living_room',
];

before(async () => {
  server = await startDemoServer();
  const device = await pairDevice(server.adminUrl, server.deviceUrl, {
    areas: ['kitchen'],
    entities: EXTRA,
  });
  conn = await connectDevice(server.deviceUrl, device.token);
  const bystander = await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['bedroom'] });
  other = await connectDevice(server.deviceUrl, bystander.token);
});
after(async () => {
  conn.close();
  other.close();
  await server.stop();
});

function demo() {
  const home = server.hasync.demo;
  assert.ok(home);
  return home;
}

async function refusal(
  message: Record<string, unknown>,
): Promise<{ code: string; message: string }> {
  try {
    await conn.sendMessagePromise({ type: 'call_service', ...message });
  } catch (err) {
    return err as { code: string; message: string };
  }
  assert.fail(`not refused: ${JSON.stringify(message)}`);
}

const ATTACKS: [string, Record<string, unknown>][] = [
  ['a script called by its own service name', { domain: 'script', service: 'unlock_everything' }],
  [
    'a script service aimed at an in-scope entity',
    {
      domain: 'script',
      service: 'unlock_everything',
      target: { entity_id: 'light.kitchen_ceiling' },
    },
  ],
  ['a notification', { domain: 'notify', service: 'notify', service_data: { message: 'hi' } }],
  [
    'scene.apply with entities of its own',
    {
      domain: 'scene',
      service: 'apply',
      service_data: { entities: { 'lock.front_door': 'unlocked' } },
    },
  ],
  [
    'group.set widening a group',
    {
      domain: 'group',
      service: 'set',
      service_data: { object_id: 'x', entities: ['lock.front_door'] },
    },
  ],
  [
    'media_player.join pulling in a speaker outside the scope',
    {
      domain: 'media_player',
      service: 'join',
      target: { entity_id: 'media_player.living_room_speaker' },
      service_data: { group_members: ['media_player.office_speaker'] },
    },
  ],
  [
    'camera.play_stream to a media player outside the scope',
    {
      domain: 'camera',
      service: 'play_stream',
      target: { entity_id: 'camera.office' },
      service_data: { media_player: 'media_player.living_room_tv' },
    },
  ],
  [
    'a template in a field',
    {
      domain: 'light',
      service: 'turn_on',
      target: { entity_id: 'light.kitchen_ceiling' },
      service_data: { effect: '{{ states("lock.front_door") }}' },
    },
  ],
  ['entity_id "all"', { domain: 'light', service: 'turn_off', target: { entity_id: 'all' } }],
  ['area_id "all"', { domain: 'light', service: 'turn_off', target: { area_id: 'all' } }],
  [
    'a light group whose members reach outside the scope',
    {
      domain: 'light',
      service: 'turn_on',
      target: { entity_id: 'light.kitchen_and_living_room' },
    },
  ],
  [
    'a floor target reaching outside the scope',
    { domain: 'light', service: 'turn_off', target: { floor_id: 'ground_floor' } },
  ],
  [
    'a label target reaching outside the scope',
    { domain: 'lock', service: 'unlock', target: { label_id: 'security' } },
  ],
];

describe('a hostile device', () => {
  test('every attack is refused, nothing reaches Home Assistant, and another device is served', async () => {
    const callsBefore = demo().calls.length;
    const locks = ['lock.front_door', 'lock.back_door'].map((id) => demo().state(id)?.state);
    for (const [what, message] of ATTACKS) {
      const err = await refusal(message);
      assert.ok(['unauthorized', 'invalid_format'].includes(err.code), `${what}: ${err.code}`);
      assert.doesNotMatch(err.message, /lock\.front_door|office_speaker|living_room_tv/, what);
    }
    assert.equal(demo().calls.length, callsBefore, 'no call reached the demo home');
    assert.deepEqual(demo().notifications, [], 'no notification was sent');
    assert.deepEqual(
      ['lock.front_door', 'lock.back_door'].map((id) => demo().state(id)?.state),
      locks,
    );
    const bystander = await getStates(other);
    assert.ok(bystander.length > 0, 'the other device is still served');
  });

  test('a script or scene the admin put in scope still runs through its entity service', async () => {
    await conn.sendMessagePromise({
      type: 'call_service',
      domain: 'scene',
      service: 'turn_on',
      target: { entity_id: 'scene.movie_night' },
    });
    await waitFor(() => demo().state('scene.movie_night')?.state !== 'unknown', 'the scene to run');
  });
});

describe('what a hostile device reads', () => {
  test('attributes listing other entities keep only those in scope', async () => {
    const states = new Map((await getStates(conn)).map((s) => [s.entity_id, s]));
    const group = states.get('light.kitchen_and_living_room');
    assert.deepEqual(group?.attributes.entity_id, [
      'light.kitchen_ceiling',
      'light.kitchen_under_cabinet',
    ]);
    assert.deepEqual(states.get('media_player.living_room_speaker')?.attributes.group_members, [
      'media_player.living_room_speaker',
    ]);
    const scene = states.get('scene.movie_night')?.attributes.entity_id as string[];
    assert.ok(
      scene.every((id) => states.has(id)),
      'the scene lists only entities in scope',
    );
  });

  test("a camera carries no Home Assistant token, and its picture loads only through HAsync's proxy", async () => {
    const camera = (await getStates(conn)).find((s) => s.entity_id === 'camera.office');
    assert.ok(camera);
    const haToken = demo().state('camera.office')?.attributes.access_token;
    assert.equal(typeof haToken, 'string');
    assert.doesNotMatch(JSON.stringify(camera), new RegExp(String(haToken)));
    const picture = String(camera.attributes.entity_picture);
    assert.match(picture, /^\/api\/camera_proxy\/camera\.office\?token=[\w-]+\.[0-9a-f]{64}$/);
    const image = await fetch(`${server.deviceUrl}${picture}`);
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'image/png');
    // Home Assistant's own token opens nothing on HAsync; HAsync's token opens only its camera.
    const withHaToken = await fetch(
      `${server.deviceUrl}/api/camera_proxy/camera.office?token=${haToken}`,
    );
    assert.equal(withHaToken.status, 401);
    const token = new URL(picture, server.deviceUrl).searchParams.get('token');
    // The frontend's live view (camera_proxy_stream?token=<access_token>) gets HAsync's token.
    assert.equal(camera.attributes.access_token, token);
    const elsewhere = await fetch(
      `${server.deviceUrl}/api/camera_proxy/camera.front_door?token=${token}`,
    );
    assert.equal(elsewhere.status, 401);
  });

  test('get_config tells nothing of where the home is or how it is reached', async () => {
    const config = await conn.sendMessagePromise<Record<string, unknown>>({ type: 'get_config' });
    assert.equal(config.latitude, 0);
    assert.equal(config.longitude, 0);
    assert.equal(config.config_dir, '');
    assert.equal(config.external_url, null);
    assert.deepEqual(config.allowlist_external_dirs, []);
    // Only the scope's domains, and history/logbook, which HAsync serves scoped.
    const domains = new Set((await getStates(conn)).map((s) => s.entity_id.split('.')[0]));
    for (const component of config.components as string[])
      assert.ok(domains.has(component) || ['history', 'logbook'].includes(component), component);
  });
});
