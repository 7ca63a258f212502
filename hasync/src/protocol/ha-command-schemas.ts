import { compEntityIds, entityIds, idList } from './voluptuous/cv.ts';
import {
  anyDict,
  bool,
  dict,
  type Fields,
  fail,
  int,
  mapOf,
  number,
  opt,
  req,
  str,
  type Validator,
} from './voluptuous/vol.ts';

/**
 * The WebSocket commands' schemas (websocket_api/commands.py and components/config/*.py
 * `@websocket_command`), each extending messages.py `BASE_COMMAND_MESSAGE_SCHEMA` ({id}) with
 * extra keys refused.
 */

/** helpers/config_validation.py `ENTITY_SERVICE_FIELDS` (2024.4+: floors and labels). */
export const TARGET_FIELDS: Fields = {
  entity_id: opt(compEntityIds),
  device_id: opt(idList),
  area_id: opt(idList),
  floor_id: opt(idList),
  label_id: opt(idList),
};

/** `cv.positive_int`. */
const positiveInt = number('int', 0, Number.POSITIVE_INFINITY);

const list =
  (of: Validator): Validator =>
  (v, p) =>
    (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).map((x) => of(x, p));

/** helpers/entityfilter.py `INCLUDE_EXCLUDE_FILTER_SCHEMA_INNER`. */
const FILTER_INNER = dict({
  domains: opt(list(str), []),
  entity_globs: opt(list(str), []),
  entities: opt(entityIds, []),
});
const EMPTY_FILTER = { domains: [], entity_globs: [], entities: [] };

/** A literal value, as voluptuous compares a constant in a schema. */
function literal(expected: string): Validator {
  return (v, p) => (v === expected ? v : fail('not a valid value', p));
}

/**
 * websocket_api/auth.py `AUTH_MESSAGE_SCHEMA`: `type: auth` with an access token (or the legacy
 * API password). A message without a usable token is not malformed: it is an invalid token.
 */
export const AUTH_MESSAGE_SCHEMA: Validator = dict({
  type: req(literal('auth')),
  api_password: opt(str),
  access_token: opt(str),
});

export function command(fields: Fields): Validator {
  return dict({ id: req(positiveInt), type: req(str), ...fields });
}

export const COMMAND_SCHEMAS: Record<string, Validator> = {
  supported_features: command({ features: req(mapOf(int)) }),
  ping: command({}),
  get_states: command({}),
  get_config: command({}),
  get_services: command({}),
  'auth/current_user': command({}),
  subscribe_entities: command({
    entity_ids: opt(entityIds),
    include: opt(FILTER_INNER, EMPTY_FILTER),
    exclude: opt(FILTER_INNER, EMPTY_FILTER),
  }),
  subscribe_events: command({ event_type: opt(str, '*') }),
  unsubscribe_events: command({ subscription: req(positiveInt) }),
  call_service: command({
    domain: req(str),
    service: req(str),
    target: opt(dict(TARGET_FIELDS)),
    service_data: opt(anyDict),
    return_response: opt(bool, false),
  }),
  'config/area_registry/list': command({}),
  'config/device_registry/list': command({}),
  'config/entity_registry/list': command({}),
  'config/entity_registry/list_for_display': command({}),
  'config/floor_registry/list': command({}),
  'config/label_registry/list': command({}),
};
