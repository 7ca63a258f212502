import { randomBytes } from 'node:crypto';
import type { HomeModel } from './home-model.ts';
import { SCRIPTS } from './scripts.ts';
import type { Row } from './seed-attributes.ts';

/**
 * The parts of the hand-made home that act on other entities or hand out access: scripts, a
 * scene, a light group and an old-style group, cameras, text-to-speech, device trackers and the
 * home zone, with the attributes Home Assistant's integrations give them.
 */

/** A scene's entities and the state each is set to (homeassistant/scene.py `STATES_SCHEMA`). */
export type SceneStates = Readonly<Record<string, { state: string; brightness?: number }>>;

export const SCENES: Readonly<Record<string, SceneStates>> = {
  'scene.movie_night': {
    'light.living_room_ceiling': { state: 'off' },
    'light.living_room_floor_lamp': { state: 'on', brightness: 60 },
    'light.tv_backlight': { state: 'on', brightness: 120 },
    'cover.living_room_blinds': { state: 'closed' },
    'media_player.living_room_tv': { state: 'on' },
    'light.kitchen_ceiling': { state: 'off' },
    'light.kitchen_under_cabinet': { state: 'off' },
  },
};

const HOME = { latitude: 52.3731, longitude: 4.8922 };

export const HOME_EXTRAS: Row[] = [
  ...SCRIPTS.map(
    (s): Row => [`script.${s.objectId}`, s.name, 'script', 'off', null, s.area, { icon: s.icon }],
  ),
  // homeassistant/scene.py HomeAssistantScene: state is when it was last activated.
  [
    'scene.movie_night',
    'Movie night',
    'scene',
    'unknown',
    null,
    'living_room',
    {
      entity_id: Object.keys(SCENES['scene.movie_night'] ?? {}),
      id: 'movie_night',
      icon: 'mdi:movie-open',
    },
  ],
  // group/light.py LightGroup: a light whose `entity_id` lists its members (here in two areas).
  [
    'light.kitchen_and_living_room',
    'Kitchen and living room lights',
    'light_group',
    'off',
    null,
    'living_room',
    {
      entity_id: [
        'light.kitchen_ceiling',
        'light.kitchen_under_cabinet',
        'light.living_room_ceiling',
      ],
    },
  ],
  // group/__init__.py Group (old-style, from YAML): no unique id, so no registry entry.
  [
    'group.all_locks',
    'All locks',
    'group',
    'locked',
    null,
    null,
    { entity_id: ['lock.back_door', 'lock.front_door'], order: 0 },
  ],
  ['camera.front_door', 'Front Door Camera', 'camera', 'idle', null, 'garden'],
  ['camera.office', 'Office Camera', 'camera', 'idle', null, 'office'],
  // tts/__init__.py TextToSpeechEntity: state is when it last spoke.
  ['tts.demo', 'Demo', 'tts', 'unknown', null, null],
  // device_tracker/config_entry.py TrackerEntity / ScannerEntity attributes.
  [
    'device_tracker.alex_phone',
    'Alex Phone',
    'device_tracker',
    'home',
    null,
    null,
    { source_type: 'gps', ...HOME, gps_accuracy: 12, battery_level: 76 },
  ],
  [
    'device_tracker.alex_laptop',
    'Alex Laptop',
    'device_tracker',
    'home',
    null,
    null,
    {
      source_type: 'router',
      ip: '192.168.1.23',
      mac: 'AA:BB:CC:DD:EE:23',
      host_name: 'alex-laptop',
    },
  ],
  // zone/__init__.py Zone: state is the number of persons in it (no registry entry for zone.home).
  [
    'zone.home',
    'Demo Home',
    'zone',
    '1',
    null,
    null,
    {
      ...HOME,
      radius: 100,
      passive: false,
      persons: ['person.alex'],
      editable: true,
      icon: 'mdi:home',
    },
  ],
];

/** States without a registry entry, as in Home Assistant (no unique id). */
export const UNREGISTERED: ReadonlySet<string> = new Set(['group.all_locks', 'zone.home']);

/** camera/__init__.py `ENTITY_IMAGE_URL`. */
export function cameraPicture(entityId: string, token: string): string {
  return `/api/camera_proxy/${entityId}?token=${token}`;
}

/** media_player/__init__.py `media_image_local`: token and a hash of the image as `cache`. */
export function mediaPicture(entityId: string, token: string, cache: string): string {
  return `/api/media_player_proxy/${entityId}?token=${token}&cache=${cache}`;
}

/**
 * Gives each camera and media player the access token Home Assistant makes for it (camera:
 * `hex(getrandbits(256))`, in the `access_token` attribute; media player: `secrets.token_hex(32)`,
 * kept by the entity) and the `entity_picture` URL that carries it. Unlike Home Assistant, which
 * rotates camera tokens every 5 minutes, the demo keeps one per entity for the home's lifetime.
 */
export function issueImageTokens(model: HomeModel): void {
  for (const [entityId, st] of model.states) {
    if (entityId.startsWith('camera.')) {
      const token = randomBytes(32).toString('hex');
      model.imageTokens.set(entityId, token);
      model.set(entityId, st.state, {
        access_token: token,
        entity_picture: cameraPicture(entityId, token),
        ...st.attributes,
      });
    } else if (entityId.startsWith('media_player.')) {
      model.imageTokens.set(entityId, randomBytes(32).toString('hex'));
    }
  }
}
