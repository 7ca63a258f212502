import type { HomeView } from '../cache/home-view.ts';
import { domainOf } from '../protocol/home-assistant.ts';
import { collectTargetIds, expandIndirect, TARGET_KEYS } from './call-targets.ts';

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
  | { readonly allowed: false; readonly reason: string };

const GENERIC_SERVICES = new Set(['turn_on', 'turn_off', 'toggle']);
const KNOWN_TARGET_KEYS = new Set<string>(TARGET_KEYS);

function deny(reason: string): Authorization {
  return { allowed: false, reason };
}

/** Whether a service of `domain` may act on this entity (its own domain, or homeassistant.*). */
function domainFits(request: CallRequest, entityId: string): boolean {
  if (request.domain === 'homeassistant') return GENERIC_SERVICES.has(request.service);
  return domainOf(entityId) === request.domain;
}

/**
 * Decides whether a device may make this call: not read-only, only target keys HAsync resolves,
 * at least one target, every target (an entity, or each entity a device, area, floor or label
 * reaches in that domain, resolved as Home Assistant resolves it) inside the scope, and the
 * service's domain fitting each entity. Pure: no I/O, no clock.
 */
export function authorizeCall(request: CallRequest, context: CallContext): Authorization {
  if (context.readOnly) return deny('this device is read-only');
  const unknown = Object.keys(request.target ?? {}).find((key) => !KNOWN_TARGET_KEYS.has(key));
  if (unknown !== undefined) return deny(`target key ${unknown.slice(0, 64)} is not supported`);
  const ids = collectTargetIds(request.target, request.serviceData);
  if (!ids) return deny('targets must be ids or lists of ids');
  if (TARGET_KEYS.some((key) => ids[key].some((id) => id === 'all' || id === 'none'))) {
    return deny('targeting "all" or "none" is not allowed');
  }
  const indirect = ids.device_id.length + ids.area_id.length + ids.floor_id.length;
  // An indirect target acts only on entities that exist now, in the service's domain.
  const reached = expandIndirect(context.home, ids).filter(
    (id) => domainFits(request, id) && context.home.state(id) !== undefined,
  );
  if (indirect + ids.label_id.length > 0 && reached.length === 0) {
    return deny('the target reaches no entity this service acts on');
  }
  const entityIds = [...new Set([...ids.entity_id, ...reached])];
  if (entityIds.length === 0) return deny('a call must target at least one entity in scope');
  for (const entityId of entityIds) {
    if (!context.scope.has(entityId)) return deny(`${entityId} is outside this device's scope`);
    if (!domainFits(request, entityId)) {
      return deny(`${request.domain}.${request.service} cannot act on ${entityId}`);
    }
  }
  const serviceData: Record<string, unknown> = { ...request.serviceData };
  for (const key of TARGET_KEYS) delete serviceData[key];
  return { allowed: true, entityIds: entityIds.sort(), serviceData };
}
