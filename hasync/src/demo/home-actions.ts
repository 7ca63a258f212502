import { isoTime } from '../protocol/compressed-state.ts';
import { domainOf, type HassContext } from '../protocol/home-assistant.ts';
import type { DemoState } from './compressed-state.ts';
import { type HomeModel, nowSeconds } from './home-model.ts';
import { scriptConfig } from './scripts.ts';
import { SCENES } from './seed-home-extras.ts';

/**
 * Services that act beyond the entity they target, or on no entity at all: scripts, scenes,
 * groups, notifications, text-to-speech and media player grouping. Each runs nested service
 * calls through `call`, as Home Assistant's integrations call services themselves.
 */

/** A nested service call (a script step, a scene's or light group's forwarded call). */
export interface NestedCall {
  domain: string;
  service: string;
  service_data?: Record<string, unknown>;
  target?: Record<string, unknown>;
}

export interface ActionContext {
  readonly model: HomeModel;
  readonly context: HassContext;
  readonly call: (call: NestedCall) => void;
}

type Data = Readonly<Record<string, unknown>>;
/** Acts for one targeted entity. */
export type EntityAction = (ctx: ActionContext, current: DemoState, data: Data) => void;
/** Acts for a service without a target. */
export type ServiceAction = (ctx: ActionContext, data: Data) => void;

const ids = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');

/** HA: homeassistant/components/script/__init__.py `_async_start_run`: on while it runs. */
export function runScript(ctx: ActionContext, objectId: string, variables: Data): void {
  const config = scriptConfig(objectId);
  if (!config) return;
  const entityId = `script.${objectId}`;
  const before = ctx.model.states.get(entityId);
  const attrs = { ...before?.attributes, last_triggered: isoTime(nowSeconds()) };
  if (before) ctx.model.set(entityId, 'on', { ...attrs, current: 1 }, ctx.context);
  try {
    for (const step of config.sequence(variables)) {
      ctx.call({
        domain: step.domain,
        service: step.service,
        target: step.target,
        ...(step.data ? { service_data: step.data } : {}),
      });
    }
  } finally {
    if (before) ctx.model.set(entityId, 'off', { ...attrs, current: 0 }, ctx.context);
  }
}

/** The service that brings an entity to a state (each domain's `reproduce_state.py`). */
const REPRODUCE: Record<string, Record<string, string>> = {
  light: { on: 'turn_on', off: 'turn_off' },
  switch: { on: 'turn_on', off: 'turn_off' },
  input_boolean: { on: 'turn_on', off: 'turn_off' },
  fan: { on: 'turn_on', off: 'turn_off' },
  cover: { open: 'open_cover', closed: 'close_cover' },
  lock: { locked: 'lock', unlocked: 'unlock' },
  media_player: {
    on: 'turn_on',
    off: 'turn_off',
    playing: 'media_play',
    paused: 'media_pause',
    idle: 'media_stop',
  },
};

/** HA: homeassistant/helpers/state.py `async_reproduce_state`, one entity at a time. */
function reproduce(ctx: ActionContext, entityId: string, spec: unknown): void {
  const wanted = typeof spec === 'string' ? { state: spec } : (spec as Record<string, unknown>);
  if (typeof wanted?.state !== 'string' || !ctx.model.states.has(entityId)) return;
  const domain = domainOf(entityId);
  const service = REPRODUCE[domain]?.[wanted.state];
  if (!service) return;
  const data =
    domain === 'light' && service === 'turn_on' && typeof wanted.brightness === 'number'
      ? { brightness: wanted.brightness }
      : undefined;
  ctx.call({
    domain,
    service,
    target: { entity_id: entityId },
    ...(data ? { service_data: data } : {}),
  });
}

function applyStates(ctx: ActionContext, states: Data): void {
  for (const [entityId, spec] of Object.entries(states)) reproduce(ctx, entityId, spec);
}

/** HA: homeassistant/components/homeassistant/scene.py `HomeAssistantScene.async_activate`. */
const activateScene: EntityAction = (ctx, current) => {
  applyStates(ctx, SCENES[current.entity_id] ?? {});
  ctx.model.set(current.entity_id, isoTime(nowSeconds()), current.attributes, ctx.context);
};

/** HA: homeassistant/components/group/light.py `LightGroup.async_turn_on|off`: forwards to members. */
function lightGroup(service: string): EntityAction {
  return (ctx, current, data) => {
    const members = ids(current.attributes.entity_id);
    const forwarded =
      service === 'toggle' ? (current.state === 'on' ? 'turn_off' : 'turn_on') : service;
    ctx.call({
      domain: 'light',
      service: forwarded,
      service_data: { ...data },
      target: { entity_id: members },
    });
  };
}

/** HA: homeassistant/components/media_player/__init__.py join: the target leads, members follow. */
const join: EntityAction = (ctx, current, data) => {
  const group = [
    current.entity_id,
    ...ids(data.group_members).filter((id) => id !== current.entity_id),
  ];
  for (const id of group) setGroupMembers(ctx, id, group);
};

/** HA: homeassistant/components/media_player/__init__.py unjoin: leaves its group. */
const unjoin: EntityAction = (ctx, current) => {
  const rest = ids(current.attributes.group_members).filter((id) => id !== current.entity_id);
  for (const id of rest) setGroupMembers(ctx, id, rest.length > 1 ? rest : [id]);
  setGroupMembers(ctx, current.entity_id, [current.entity_id]);
};

function setGroupMembers(ctx: ActionContext, entityId: string, members: string[]): void {
  const st = ctx.model.states.get(entityId);
  if (!st || !('group_members' in st.attributes)) return;
  ctx.model.set(entityId, st.state, { ...st.attributes, group_members: members }, ctx.context);
}

/** HA: homeassistant/components/tts/__init__.py `async_handle_speak`: plays on the media player. */
const speak: EntityAction = (ctx, current, data) => {
  const message = encodeURIComponent(String(data.message ?? ''));
  const engine = current.entity_id.slice('tts.'.length);
  for (const player of ids(data.media_player_entity_id)) {
    const st = ctx.model.states.get(player);
    if (!st) continue;
    ctx.model.set(
      player,
      'playing',
      {
        ...st.attributes,
        media_content_id: `media-source://tts/${engine}?message=${message}`,
        media_content_type: 'music',
      },
      ctx.context,
    );
  }
  ctx.model.set(current.entity_id, isoTime(nowSeconds()), current.attributes, ctx.context);
};

/** HA: homeassistant/components/script/__init__.py turn_on (runs), toggle, turn_off (stops). */
const scriptEntity =
  (service: string): EntityAction =>
  (ctx, current, data) => {
    if (service === 'turn_off' || (service === 'toggle' && current.state === 'on')) return;
    const variables = (data.variables as Data | undefined) ?? {};
    runScript(ctx, current.entity_id.slice('script.'.length), variables);
  };

/** domain of the entity → service (after homeassistant.* is mapped) → action. */
export const ENTITY_ACTIONS: Record<string, Record<string, EntityAction>> = {
  script: {
    turn_on: scriptEntity('turn_on'),
    turn_off: scriptEntity('turn_off'),
    toggle: scriptEntity('toggle'),
  },
  scene: { turn_on: activateScene },
  media_player: { join, unjoin },
  tts: { speak },
};

/** Light groups: a light whose state lists members (group/light.py). */
export function lightGroupAction(current: DemoState, service: string): EntityAction | undefined {
  if (domainOf(current.entity_id) !== 'light' || !Array.isArray(current.attributes.entity_id)) {
    return undefined;
  }
  return ['turn_on', 'turn_off', 'toggle'].includes(service) ? lightGroup(service) : undefined;
}

/** HA: homeassistant/components/group/__init__.py `groups_service_handler` (SERVICE_SET). */
const setGroup: ServiceAction = (ctx, data) => {
  const entityId = `group.${String(data.object_id)}`;
  const st = ctx.model.states.get(entityId);
  let members = ids(st?.attributes.entity_id);
  if (data.entities !== undefined) members = ids(data.entities);
  if (data.add_entities !== undefined)
    members = [...new Set([...members, ...ids(data.add_entities)])];
  if (data.remove_entities !== undefined) {
    const gone = new Set(ids(data.remove_entities));
    members = members.filter((m) => !gone.has(m));
  }
  const attributes: Record<string, unknown> = { ...st?.attributes, entity_id: members };
  if (typeof data.name === 'string') attributes.friendly_name = data.name;
  if (typeof data.icon === 'string') attributes.icon = data.icon;
  if (st === undefined) attributes.order = 0;
  ctx.model.set(entityId, st?.state ?? 'unknown', attributes, ctx.context);
};

/** HA: homeassistant/components/notify/legacy.py `BaseNotificationService._async_notify_message_service`. */
function notify(service: string): ServiceAction {
  return (ctx, data) =>
    ctx.model.notify({
      service: `notify.${service}`,
      message: String(data.message),
      ...(typeof data.title === 'string' ? { title: data.title } : {}),
      ...(Array.isArray(data.target) ? { target: ids(data.target) } : {}),
      ...(data.data ? { data: data.data as Record<string, unknown> } : {}),
      context_id: ctx.context.id,
    });
}

/** `domain.service` → action, for services without a target (scripts are looked up by name). */
export const SERVICE_ACTIONS: Record<string, ServiceAction> = {
  'scene.apply': (ctx, data) => applyStates(ctx, (data.entities as Data | undefined) ?? {}),
  'group.set': setGroup,
  'notify.notify': notify('notify'),
  'notify.mobile_app_phone': notify('mobile_app_phone'),
};

export function serviceAction(domain: string, service: string): ServiceAction | undefined {
  const action = SERVICE_ACTIONS[`${domain}.${service}`];
  if (action) return action;
  if (domain === 'script' && scriptConfig(service)) {
    return (ctx, data) => runScript(ctx, service, data);
  }
  return undefined;
}
