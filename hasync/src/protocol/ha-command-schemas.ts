import { compEntityIds, entityIds, idList, validEntityId } from './voluptuous/cv.ts';
import {
  anyDict,
  bool,
  dict,
  type Fields,
  fail,
  int,
  mapOf,
  number,
  oneOf,
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

/** `vol.Any(bool, str, int, float, dict, list, None)`: any JSON value. */
const jsonValue: Validator = (v) => v;

/** `vol.All(cv.ensure_list, [str])`. */
const strList: Validator = (v, p) =>
  (Array.isArray(v) ? v : [v]).map((item, i) => str(item, [...p, i]));

/** `[str]`: a list of strings, not coerced. */
const strictStrList: Validator = (v, p) =>
  Array.isArray(v) ? v.map((item, i) => str(item, [...p, i])) : fail('expected list', p);

/** `vol.Any(None, cv.string)`: cv.string turns numbers into text. */
const optionalString: Validator = (v, p) =>
  v === null ? null : typeof v === 'number' ? String(v) : str(v, p);

/** `cv.entity_id`: one valid entity id, lower-cased (helpers/config_validation.py). */
const entityId: Validator = (v, p) => {
  if (typeof v !== 'string' && typeof v !== 'number') return fail('expected str', p);
  const lowered = String(v).toLowerCase();
  return validEntityId(lowered)
    ? lowered
    : fail(`Entity ID ${String(v)} is an invalid entity ID`, p);
};

/**
 * The commands Home Assistant's frontend sends for a dashboard (design §5c), with their handlers'
 * schemas: frontend/__init__.py (get_panels, get_themes, get_translations, get_icons),
 * frontend/storage.py (user data; subscribe_user_data is 2024.11+), lovelace/websocket.py,
 * repairs/websocket_api.py, persistent_notification/__init__.py, history/websocket_api.py ws_stream,
 * logbook/websocket_api.py ws_event_stream, recorder/websocket_api.py ws_info,
 * sensor/websocket_api.py ws_numeric_device_classes, ws_get_statistics_during_period, config/entity_registry.py
 * websocket_get_entity (`config/entity_registry/list` is with the registry lists below).
 */
/** `vol.Any(a, b, …)` of literals: voluptuous says only "not a valid value". */
const anyOf =
  (options: readonly string[]): Validator =>
  (v, p) =>
    typeof v === 'string' && options.includes(v) ? v : fail('not a valid value', p);

/** recorder/websocket_api.py: `types` of statistics_during_period. */
const STATISTIC_TYPES = anyOf(['change', 'last_reset', 'max', 'mean', 'min', 'state', 'sum']);
const statisticTypes: Validator = (v, p) =>
  Array.isArray(v)
    ? v.map((item, i) => STATISTIC_TYPES(item, [...p, i]))
    : fail('expected list', p);

const FRONTEND_SCHEMAS: Record<string, Validator> = {
  get_panels: command({}),
  'frontend/get_themes': command({}),
  'frontend/get_translations': command({
    language: req(str),
    category: req(str),
    integration: opt(strList),
    config_flow: opt(bool),
  }),
  'frontend/get_icons': command({
    category: req(oneOf(['entity', 'entity_component', 'services'])),
    integration: opt(strList),
  }),
  'frontend/get_user_data': command({ key: opt(str) }),
  'frontend/set_user_data': command({ key: req(str), value: req(jsonValue) }),
  'frontend/subscribe_user_data': command({ key: opt(str) }),
  'lovelace/config': command({ force: opt(bool, false), url_path: opt(optionalString) }),
  'lovelace/resources': command({}),
  'lovelace/dashboards/list': command({}),
  'repairs/list_issues': command({}),
  'persistent_notification/subscribe': command({}),
  'history/stream': command({
    start_time: req(str),
    end_time: opt(str),
    entity_ids: req(strictStrList),
    include_start_time_state: opt(bool, true),
    significant_changes_only: opt(bool, true),
    minimal_response: opt(bool, false),
    no_attributes: opt(bool, false),
  }),
  'logbook/event_stream': command({
    start_time: req(str),
    end_time: opt(str),
    entity_ids: opt(strictStrList),
    device_ids: opt(strictStrList),
  }),
  'recorder/info': command({}),
  'sensor/numeric_device_classes': command({}),
  'auth/sign_path': command({ path: req(str), expires: opt(int, 30) }),
  'config/entity_registry/get': command({ entity_id: req(entityId) }),
  'recorder/statistics_during_period': command({
    start_time: req(str),
    end_time: opt(str),
    statistic_ids: req(strictStrList),
    period: req(anyOf(['5minute', 'hour', 'day', 'week', 'month'])),
    units: opt(mapOf(str)),
    types: opt(statisticTypes),
  }),
};

/**
 * Commands a device is refused whatever it sends (templates, triggers, scripts, events, search
 * reach outside any scope): any body is accepted so that the refusal, not a schema error, answers.
 */
export const REFUSED_COMMANDS = [
  'render_template',
  'subscribe_trigger',
  'execute_script',
  'fire_event',
  'search/related',
] as const;

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
  ...FRONTEND_SCHEMAS,
  ...Object.fromEntries(REFUSED_COMMANDS.map((type) => [type, dict({}, true)])),
};
