import { entityIds } from '../protocol/voluptuous/cv.ts';
import {
  anyDict,
  cvBoolean,
  type Fields,
  number,
  oneOf,
  opt,
  req,
  str,
  type Validator,
} from '../protocol/voluptuous/vol.ts';
import { SCRIPTS } from './scripts.ts';
import type { ServiceSpec } from './service-schemas.ts';

/**
 * Schemas of the demo home's scripts, scenes, groups, cameras, notifications and text-to-speech,
 * copied from each integration's `__init__.py` (see the comment on each).
 */

const plain = (fields: Fields = {}): ServiceSpec => ({ fields, supportsResponse: 'none' });
const untargeted = (fields: Fields, allowExtra = false): ServiceSpec => ({
  fields,
  supportsResponse: 'none',
  untargeted: true,
  ...(allowExtra ? { allowExtra } : {}),
});
/** `cv.string` for a template field: any string (Home Assistant renders it). */
const template: Validator = str;
const TRANSITION = opt(number('float', 0, 6553));

/** script/__init__.py `SCRIPT_TURN_ONOFF_SCHEMA` (takes `variables`, which HA does not describe). */
const SCRIPT_TURN_ONOFF = plain({ variables: opt(anyDict) });

/** script/__init__.py `SCRIPT_SERVICE_SCHEMA = vol.Schema(dict)`: any data, as variables. */
const scriptServices = Object.fromEntries(
  SCRIPTS.map((s): [string, ServiceSpec] => [
    s.objectId,
    { fields: {}, supportsResponse: 'optional', untargeted: true, allowExtra: true },
  ]),
);

/** notify/legacy.py `NOTIFY_SERVICE_SCHEMA`. */
const NOTIFY = untargeted({
  message: req(template),
  title: opt(template),
  target: opt((v, p) => (Array.isArray(v) ? v.map((t) => str(t, p)) : [str(v, p)])),
  data: opt(anyDict),
});

export const HOME_SERVICES: Record<string, Record<string, ServiceSpec>> = {
  script: {
    turn_on: SCRIPT_TURN_ONOFF,
    turn_off: SCRIPT_TURN_ONOFF,
    toggle: SCRIPT_TURN_ONOFF,
    ...scriptServices,
  },
  // scene/__init__.py (turn_on) and homeassistant/scene.py (apply: `STATES_SCHEMA`).
  scene: {
    turn_on: plain({ transition: TRANSITION }),
    apply: untargeted({ entities: req(anyDict), transition: TRANSITION }),
  },
  // group/__init__.py `SET_SERVICE_SCHEMA`.
  group: {
    set: untargeted({
      object_id: req(str),
      name: opt(str),
      icon: opt(str),
      entities: opt(entityIds),
      add_entities: opt(entityIds),
      remove_entities: opt(entityIds),
      all: opt(cvBoolean),
    }),
  },
  // camera/__init__.py: CAMERA_SERVICE_SNAPSHOT, CAMERA_SERVICE_PLAY_STREAM.
  camera: {
    turn_on: plain(),
    turn_off: plain(),
    snapshot: plain({ filename: req(template) }),
    play_stream: plain({ media_player: req(entityIds), format: opt(oneOf(['hls'])) }),
  },
  notify: { notify: NOTIFY, mobile_app_phone: NOTIFY },
  // tts/__init__.py `async_register_entity_service(SERVICE_SPEAK, ...)`.
  tts: {
    speak: plain({
      media_player_entity_id: req(entityIds),
      message: req(str),
      cache: opt(cvBoolean),
      language: opt(str),
      options: opt(anyDict),
    }),
  },
};
