import type { HomeView } from '../cache/home-view.ts';
import { domainOf, type HassServiceTarget } from '../protocol/home-assistant.ts';
import { areaOfEntity } from './resolve-scope.ts';

/** A service call as a device asked for it. */
export interface CallRequest {
  readonly domain: string;
  readonly service: string;
  readonly serviceData: Readonly<Record<string, unknown>>;
  readonly target: Readonly<HassServiceTarget> | undefined;
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

const TARGET_KEYS = ['entity_id', 'device_id', 'area_id'] as const;
const GENERIC_SERVICES = new Set(['turn_on', 'turn_off', 'toggle']);

function deny(reason: string): Authorization {
  return { allowed: false, reason };
}

/** Collects ids from `target` and `service_data` for one key; undefined if malformed. */
function idsFor(request: CallRequest, key: (typeof TARGET_KEYS)[number]): string[] | undefined {
  const ids: string[] = [];
  for (const value of [request.target?.[key], request.serviceData[key]]) {
    if (value === undefined || value === null) continue;
    const list = Array.isArray(value) ? value : [value];
    for (const id of list) {
      if (typeof id !== 'string' || id.length === 0) return undefined;
      ids.push(...id.split(',').map((part) => part.trim()));
    }
  }
  return ids;
}

/** Whether a service of `domain` may act on this entity (its own domain, or homeassistant.*). */
function domainFits(request: CallRequest, entityId: string): boolean {
  if (request.domain === 'homeassistant') return GENERIC_SERVICES.has(request.service);
  return domainOf(entityId) === request.domain;
}

/** Every entity Home Assistant would act on for a device or area target, limited to the domain. */
function expand(
  request: CallRequest,
  home: HomeView,
  devices: string[],
  areas: string[],
): string[] {
  const wantedDevices = new Set(devices);
  const wantedAreas = new Set(areas);
  const hit: string[] = [];
  for (const entry of home.entityEntries().values()) {
    const byDevice = entry.device_id !== null && wantedDevices.has(entry.device_id);
    const area = wantedAreas.size > 0 ? areaOfEntity(home, entry.entity_id) : undefined;
    const byArea = area !== undefined && wantedAreas.has(area);
    if ((byDevice || byArea) && domainFits(request, entry.entity_id)) hit.push(entry.entity_id);
  }
  return hit;
}

/**
 * Decides whether a device may make this call: not read-only, at least one target, every target
 * (entity, or each entity a device/area target reaches in that domain) inside the scope, and the
 * service's domain fitting each entity. Pure: no I/O, no clock.
 */
export function authorizeCall(request: CallRequest, context: CallContext): Authorization {
  if (context.readOnly) return deny('this device is read-only');
  const entities = idsFor(request, 'entity_id');
  const devices = idsFor(request, 'device_id');
  const areas = idsFor(request, 'area_id');
  if (!entities || !devices || !areas) return deny('targets must be ids or lists of ids');
  if ([...entities, ...devices, ...areas].some((id) => id === 'all' || id === 'none')) {
    return deny('targeting "all" or "none" is not allowed');
  }
  const reached = expand(request, context.home, devices, areas);
  if ((devices.length > 0 || areas.length > 0) && reached.length === 0) {
    return deny('the device or area target reaches no entity this service acts on');
  }
  const entityIds = [...new Set([...entities, ...reached])];
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
