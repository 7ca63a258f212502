import type { HomeView } from '../cache/home-view.ts';
import { domainOf } from '../protocol/home-assistant.ts';
import {
  collectTargetIds,
  entitiesNamed,
  expandIndirect,
  TARGET_KEYS,
  type TargetIds,
} from './call-targets.ts';
import { controllable } from './schedule.ts';
import {
  checkServiceData,
  forbiddenValue,
  isEntityService,
  targetAdmits,
} from './service-rules.ts';

/** A service call as a device asked for it. */
export interface CallRequest {
  readonly domain: string;
  readonly service: string;
  readonly serviceData: Readonly<Record<string, unknown>>;
  readonly target: Readonly<Record<string, unknown>> | undefined;
}

export interface CallContext {
  readonly scope: ReadonlySet<string>;
  readonly readOnly: boolean;
  readonly home: HomeView;
  /** Entities the device sees but may not control (design §5b). */
  readonly view_only?: readonly string[];
  /** Domains whose entities the device sees but may not control. */
  readonly view_only_domains?: readonly string[];
}

/**
 * The verdict. When allowed, `serviceData` has every targeting key removed and `entityIds` are
 * the only entities the call may touch: the upstream call is rebuilt from these, never forwarded.
 */
export type Authorization =
  | {
      readonly allowed: true;
      readonly entityIds: string[];
      readonly serviceData: Record<string, unknown>;
    }
  | {
      readonly allowed: false;
      readonly reason: string;
      /** Refused in Home Assistant's own words (`invalid_format`), not as `unauthorized`. */
      readonly invalidFormat?: true;
    };

const GENERIC_SERVICES = new Set(['turn_on', 'turn_off', 'toggle']);
const KNOWN_TARGET_KEYS = new Set<string>(TARGET_KEYS);
/** Entities whose `entity_id` attribute lists what they act on; scenes and scripts are exempt. */
const NOT_GROUPS = new Set(['scene', 'script', 'automation']);
const OUTSIDE = "the call reaches an entity outside this device's scope";
/** A call on an entity the device may see but not control; the words the design promises. */
const VIEW_ONLY = 'view only';

function deny(reason: string): Authorization {
  return { allowed: false, reason };
}

/** Whether a service of `domain` may act on this entity (its own domain, or homeassistant.*). */
function domainFits(request: CallRequest, entityId: string): boolean {
  if (request.domain === 'homeassistant') return GENERIC_SERVICES.has(request.service);
  return domainOf(entityId) === request.domain;
}

/** The members a group-like entity acts on (its `entity_id` attribute). */
function membersOf(context: CallContext, entityId: string): string[] {
  if (NOT_GROUPS.has(domainOf(entityId))) return [];
  const members = context.home.state(entityId)?.attributes.entity_id;
  return Array.isArray(members) ? members.filter((m): m is string => typeof m === 'string') : [];
}

/** The targets: every entity id they reach, or why the call is refused. */
function resolveTargets(
  request: CallRequest,
  context: CallContext,
  ids: TargetIds,
): string[] | string {
  const description = context.home.services()[request.domain]?.[request.service];
  const { home } = context;
  const admits = (id: string) =>
    description !== undefined &&
    domainFits(request, id) &&
    targetAdmits(description, id, home.state(id), home.entityEntries().get(id));
  // An indirect target acts only on entities that exist now and that the service acts on.
  const reached = expandIndirect(home, ids).filter(
    (id) => home.state(id) !== undefined && admits(id),
  );
  const indirect = ids.device_id.length + ids.area_id.length + ids.floor_id.length;
  if (indirect + ids.label_id.length > 0 && reached.length === 0) {
    return 'the target reaches no entity this service acts on';
  }
  const entityIds = [...new Set([...ids.entity_id, ...reached])];
  if (entityIds.length === 0) return 'a call must target at least one entity in scope';
  for (const entityId of entityIds) {
    if (!context.scope.has(entityId)) return OUTSIDE;
    if (!domainFits(request, entityId))
      return `${request.domain}.${request.service} cannot act on ${entityId}`;
    if (membersOf(context, entityId).some((member) => !context.scope.has(member))) return OUTSIDE;
  }
  return entityIds.sort();
}

/**
 * Decides whether a device may make this call, allowing only what Home Assistant describes: the
 * service is an entity service (its description has a `target`) of the entity's domain, or
 * homeassistant.turn_on/turn_off/toggle; only target keys HAsync resolves; every entity the
 * targets reach (resolved as Home Assistant resolves them, group members included) inside the
 * scope and controllable (not view-only, by entity or domain); every `service_data` key a
 * described field, whose entity-naming values lie wholly inside the scope; no template and no "all"/"none" anywhere. Refusals never name an entity outside the
 * scope. Pure: no I/O, no clock.
 */
export function authorizeCall(request: CallRequest, context: CallContext): Authorization {
  if (context.readOnly) return deny('this device is read-only');
  const description = context.home.services()[request.domain]?.[request.service];
  if (!description) return deny(`${request.domain}.${request.service} is not described`);
  if (!isEntityService(description))
    return deny(`${request.domain}.${request.service} is not an entity service`);
  const unknown = Object.keys(request.target ?? {}).find((key) => !KNOWN_TARGET_KEYS.has(key));
  if (unknown !== undefined) return deny(`target key ${unknown.slice(0, 64)} is not supported`);
  const forbidden = forbiddenValue(request.target ?? {});
  if (forbidden) return deny(`target: ${forbidden}`);
  const ids = collectTargetIds(request.target, request.serviceData);
  if (!ids) return deny('targets must be ids or lists of ids');
  const targets = resolveTargets(request, context, ids);
  if (typeof targets === 'string') return deny(targets);
  // A group acts on its members: each of them must be controllable too.
  const acted = targets.flatMap((id) => [id, ...membersOf(context, id)]);
  if (acted.some((id) => !controllable(context, id))) return deny(VIEW_ONLY);
  const serviceData: Record<string, unknown> = { ...request.serviceData };
  for (const key of TARGET_KEYS) delete serviceData[key];
  const data = checkServiceData(description, serviceData);
  if (!data.ok) {
    return data.invalidFormat
      ? { allowed: false, reason: data.reason, invalidFormat: true }
      : deny(data.reason);
  }
  const named = entitiesNamed(context.home, data.named);
  if (!named.complete || named.entityIds.some((id) => !context.scope.has(id))) return deny(OUTSIDE);
  return { allowed: true, entityIds: targets, serviceData };
}
