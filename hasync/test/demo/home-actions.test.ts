import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DemoHome } from '../../src/demo/demo-home.ts';
import { startDemoHome } from '../fakes/demo-home.ts';
import { rawClient } from './raw-client.ts';

const OWNER = 'owner-token';
const USER = 'demo0000000000000000000000000001';
let home: DemoHome;
before(async () => {
  home = await startDemoHome({ token: OWNER });
});
after(() => home.stop());

const run = (
  domain: string,
  service: string,
  data: Record<string, unknown> = {},
  target?: object,
) =>
  home.callService(
    { domain, service, service_data: data, ...(target ? { target: { ...target } } : {}) },
    USER,
  );
const state = (id: string) => home.state(id)?.state;
const attr = (id: string, key: string) => home.state(id)?.attributes[key];

describe('scripts', () => {
  // HA: homeassistant/components/script/__init__.py ScriptEntity._service_handler (script.<name> runs it)
  test('script.unlock_everything, its own service without a target, unlocks every lock', async () => {
    const c = await rawClient(home, OWNER);
    const seen: string[] = [];
    await c.ask({ id: 1, type: 'subscribe_events', event_type: 'state_changed' });
    c.ws.on('message', (raw) => {
      const msg = JSON.parse(String(raw)) as {
        event?: { data?: { entity_id?: string; new_state?: { state: string } } };
      };
      const data = msg.event?.data;
      if (data?.entity_id === 'script.unlock_everything') seen.push(String(data.new_state?.state));
    });
    const r = await c.ask({
      id: 2,
      type: 'call_service',
      domain: 'script',
      service: 'unlock_everything',
    });
    assert.equal(r.success, true);
    assert.equal(state('lock.front_door'), 'unlocked');
    assert.equal(state('lock.back_door'), 'unlocked');
    assert.equal(state('group.all_locks'), 'unlocked', 'the old-style group follows its members');
    await c.ask({ id: 3, type: 'ping' }); // events of the call were sent before the pong
    assert.deepEqual(seen, ['on', 'off'], 'on while it runs, then off');
    assert.equal(typeof attr('script.unlock_everything', 'last_triggered'), 'string');
    c.ws.close();
    run('lock', 'lock', {}, { entity_id: ['lock.front_door', 'lock.back_door'] });
    assert.equal(state('group.all_locks'), 'locked');
  });

  // HA: homeassistant/components/script/__init__.py SCRIPT_TURN_ONOFF_SCHEMA (variables → fields)
  test('script.turn_on runs a script with its variables; the script service takes its fields', () => {
    run(
      'script',
      'turn_on',
      { variables: { brightness_pct: 40 } },
      { entity_id: 'script.good_morning' },
    );
    assert.equal(state('light.kitchen_ceiling'), 'on');
    assert.equal(attr('light.kitchen_ceiling', 'brightness'), 102);
    assert.equal(state('script.good_morning'), 'off');
    run('media_player', 'media_pause', {}, { entity_id: 'media_player.bedroom_speaker' });
    run('script', 'good_morning', { speaker: 'media_player.bedroom_speaker' });
    assert.equal(state('media_player.bedroom_speaker'), 'playing', 'a field named another entity');
  });

  // HA: homeassistant/components/notify/legacy.py (undescribed keys refused by NOTIFY_SERVICE_SCHEMA)
  test('notify services take no target and are recorded', () => {
    run('notify', 'mobile_app_phone', { message: 'Door open', title: 'Home', target: 'x' });
    assert.deepEqual(home.notifications.at(-1), {
      service: 'notify.mobile_app_phone',
      message: 'Door open',
      title: 'Home',
      target: ['x'],
      context_id: home.calls.at(-1)?.context_id,
    });
    assert.throws(
      () => run('notify', 'notify', { message: 'hi' }, { entity_id: 'light.porch' }),
      /extra keys not allowed/,
    );
  });
});

describe('scenes and groups', () => {
  // HA: homeassistant/components/homeassistant/scene.py HomeAssistantScene.async_activate
  test('scene.turn_on sets its entities, in and beyond its own area', () => {
    run('light', 'turn_on', {}, { entity_id: 'light.kitchen_ceiling' });
    run('scene', 'turn_on', {}, { entity_id: 'scene.movie_night' });
    assert.equal(state('light.kitchen_ceiling'), 'off');
    assert.equal(state('cover.living_room_blinds'), 'closed');
    assert.equal(attr('light.tv_backlight', 'brightness'), 120);
    assert.match(String(state('scene.movie_night')), /^\d{4}-\d\d-\d\dT/);
    assert.ok(
      (attr('scene.movie_night', 'entity_id') as string[]).includes('light.kitchen_ceiling'),
    );
  });

  // HA: homeassistant/components/homeassistant/scene.py apply_service (STATES_SCHEMA)
  test('scene.apply sets any entity to any state it names', () => {
    run('scene', 'apply', { entities: { 'lock.front_door': 'unlocked' } });
    assert.equal(state('lock.front_door'), 'unlocked');
    run('lock', 'lock', {}, { entity_id: 'lock.front_door' });
  });

  // HA: homeassistant/components/group/light.py LightGroup.async_turn_on (forwards to members)
  test('turning on the light group turns on its members in both areas', () => {
    run(
      'light',
      'turn_off',
      {},
      { entity_id: ['light.kitchen_ceiling', 'light.living_room_ceiling'] },
    );
    run('light', 'turn_on', { brightness: 200 }, { entity_id: 'light.kitchen_and_living_room' });
    assert.equal(state('light.living_room_ceiling'), 'on');
    assert.equal(attr('light.living_room_ceiling', 'brightness'), 200);
    assert.equal(state('light.kitchen_and_living_room'), 'on');
    run('homeassistant', 'turn_off', {}, { entity_id: 'light.kitchen_and_living_room' });
    assert.equal(state('light.living_room_ceiling'), 'off');
    assert.equal(state('light.kitchen_and_living_room'), 'off', 'follows its members');
  });

  // HA: homeassistant/components/group/__init__.py groups_service_handler (SERVICE_SET)
  test('group.set creates and edits an old-style group', () => {
    run('group', 'set', { object_id: 'doors', entities: ['lock.front_door'], name: 'Doors' });
    assert.deepEqual(attr('group.doors', 'entity_id'), ['lock.front_door']);
    assert.equal(state('group.doors'), 'locked');
    run('group', 'set', { object_id: 'doors', add_entities: ['lock.back_door'] });
    assert.deepEqual(attr('group.doors', 'entity_id'), ['lock.front_door', 'lock.back_door']);
  });
});

describe('media players, text-to-speech, persons', () => {
  // HA: homeassistant/components/media_player/__init__.py join/unjoin (group_members)
  test('join and unjoin change group_members on every player of the group', () => {
    assert.deepEqual(attr('media_player.living_room_speaker', 'group_members'), [
      'media_player.living_room_speaker',
      'media_player.bedroom_speaker',
    ]);
    run(
      'media_player',
      'join',
      { group_members: ['media_player.office_speaker'] },
      {
        entity_id: 'media_player.living_room_speaker',
      },
    );
    assert.deepEqual(attr('media_player.office_speaker', 'group_members'), [
      'media_player.living_room_speaker',
      'media_player.office_speaker',
    ]);
    run('media_player', 'unjoin', {}, { entity_id: 'media_player.office_speaker' });
    assert.deepEqual(attr('media_player.office_speaker', 'group_members'), [
      'media_player.office_speaker',
    ]);
    assert.deepEqual(attr('media_player.living_room_speaker', 'group_members'), [
      'media_player.living_room_speaker',
    ]);
  });

  // HA: homeassistant/components/tts/__init__.py async_handle_speak (media_player_entity_id)
  test('tts.speak plays on the media player its field names', () => {
    run('media_player', 'media_stop', {}, { entity_id: 'media_player.living_room_tv' });
    run(
      'tts',
      'speak',
      { media_player_entity_id: 'media_player.living_room_tv', message: 'hi' },
      {
        entity_id: 'tts.demo',
      },
    );
    assert.equal(state('media_player.living_room_tv'), 'playing');
    assert.equal(
      attr('media_player.living_room_tv', 'media_content_id'),
      'media-source://tts/demo?message=hi',
    );
  });

  // HA: homeassistant/components/person/__init__.py, zone/__init__.py (persons follow)
  test('a person lists its device trackers and zone.home counts the persons at home', () => {
    assert.deepEqual(attr('person.alex', 'device_trackers'), [
      'device_tracker.alex_phone',
      'device_tracker.alex_laptop',
    ]);
    for (const id of ['device_tracker.alex_phone', 'device_tracker.alex_laptop'])
      assert.ok(home.state(id));
    assert.deepEqual(attr('zone.home', 'persons'), ['person.alex']);
    home.setState('person.sam', 'home');
    assert.equal(state('zone.home'), '2');
    assert.deepEqual(attr('zone.home', 'persons'), ['person.alex', 'person.sam']);
  });
});

describe('image proxies', () => {
  const get = async (path: string, auth?: string) => {
    const res = await fetch(`${home.url}${path}`, auth ? { headers: { authorization: auth } } : {});
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      size: (await res.arrayBuffer()).byteLength,
    };
  };

  // HA: homeassistant/components/camera/__init__.py CameraView.get (401 with a bad header, else 403; 503 when off)
  test('a camera image needs its access token or a valid bearer token', async () => {
    const picture = String(attr('camera.front_door', 'entity_picture'));
    assert.equal(
      picture,
      `/api/camera_proxy/camera.front_door?token=${attr('camera.front_door', 'access_token')}`,
    );
    assert.equal((await get(picture)).type, 'image/png');
    assert.equal((await get('/api/camera_proxy/camera.front_door', `Bearer ${OWNER}`)).status, 200);
    assert.equal((await get('/api/camera_proxy/camera.front_door?token=nope')).status, 403);
    assert.equal((await get('/api/camera_proxy/camera.front_door', 'Bearer nope')).status, 401);
    const kitchen = String(attr('camera.office', 'entity_picture'));
    assert.equal(
      (await get(kitchen.replace('camera.office?', 'camera.front_door?'))).status,
      403,
      'tokens are per camera',
    );
    assert.equal((await get('/api/camera_proxy/camera.nowhere')).status, 404);
    run('camera', 'turn_off', {}, { entity_id: 'camera.front_door' });
    assert.equal((await get(picture)).status, 503);
    run('camera', 'turn_on', {}, { entity_id: 'camera.front_door' });
  });

  // HA: homeassistant/components/media_player/__init__.py MediaPlayerImageView.get, entity_picture
  test('a media player image needs its token; an off player shows no picture', async () => {
    const picture = String(attr('media_player.living_room_tv', 'entity_picture'));
    assert.match(
      picture,
      /^\/api\/media_player_proxy\/media_player\.living_room_tv\?token=[0-9a-f]{64}&cache=[0-9a-f]{16}$/,
    );
    assert.equal(
      attr('media_player.living_room_tv', 'access_token'),
      undefined,
      'HA keeps it out of the state',
    );
    assert.equal((await get(picture)).status, 200);
    assert.equal(
      (await get('/api/media_player_proxy/media_player.living_room_tv?token=nope')).status,
      401,
    );
    assert.equal((await get('/api/media_player_proxy/media_player.nowhere')).status, 401);
    assert.equal(
      (await get('/api/media_player_proxy/media_player.nowhere', `Bearer ${OWNER}`)).status,
      404,
    );
    run('media_player', 'turn_off', {}, { entity_id: 'media_player.living_room_tv' });
    assert.equal(attr('media_player.living_room_tv', 'entity_picture'), undefined);
    run('media_player', 'turn_on', {}, { entity_id: 'media_player.living_room_tv' });
    assert.equal(attr('media_player.living_room_tv', 'entity_picture'), picture);
  });
});
