import { domainOf, type HassContext } from '../protocol/home-assistant.ts';
import { HasyncError } from '../shared/errors.ts';
import type { DemoState } from './compressed-state.ts';
import type { HomeModel } from './home-model.ts';
import { EFFECTS, type Effect, genericService } from './service-effects.ts';

/** A `call_service` command's payload. */
export interface ServiceCall {
  domain: string;
  service: string;
  service_data?: Record<string, unknown> | undefined;
  target?: Record<string, unknown> | undefined;
}

const TARGET_KEYS = ['entity_id', 'device_id', 'area_id'] as const;

function ids(value: unknown): string[] {
  if (typeof value === 'string')
    return value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** Entity ids named directly, through a device, or through an area (entity area, else device area). */
export function resolveTargets(model: HomeModel, call: ServiceCall): Set<string> {
  const out = new Set<string>();
  const reg = model.registry;
  for (const source of [call.target, call.service_data]) {
    if (!source) continue;
    for (const id of ids(source.entity_id)) {
      if (id === 'all') for (const known of model.states.keys()) out.add(known);
      else out.add(id);
    }
    for (const id of ids(source.device_id)) for (const e of reg.entitiesOfDevice(id)) out.add(e);
    for (const id of ids(source.area_id)) for (const e of reg.entitiesInArea(id)) out.add(e);
  }
  return out;
}

function effectFor(call: ServiceCall, current: DemoState, data: Record<string, unknown>) {
  const domain = domainOf(current.entity_id);
  const service =
    call.domain === 'homeassistant' ? genericService(domain, call.service) : call.service;
  if (call.domain !== 'homeassistant' && domain !== call.domain) return undefined;
  const fn = service === undefined ? undefined : EFFECTS[domain]?.[service];
  return fn?.(current, data);
}

function serviceExists(call: ServiceCall): boolean {
  if (call.domain === 'homeassistant')
    return ['turn_on', 'turn_off', 'toggle'].includes(call.service);
  return EFFECTS[call.domain]?.[call.service] !== undefined;
}

/**
 * Runs a service with real effects on the model. Every effect is computed before any is written,
 * so invalid data changes nothing. Unknown entities are skipped, as Home Assistant does.
 */
export function runServiceCall(model: HomeModel, call: ServiceCall, context: HassContext): void {
  if (!serviceExists(call)) {
    throw new HasyncError('not_found', `Service ${call.domain}.${call.service} not found.`);
  }
  const data: Record<string, unknown> = { ...call.service_data };
  for (const key of TARGET_KEYS) delete data[key];
  const planned: [string, Effect][] = [];
  for (const entityId of resolveTargets(model, call)) {
    const current = model.states.get(entityId);
    if (!current) continue;
    const effect = effectFor(call, current, data);
    if (effect) planned.push([entityId, effect]);
  }
  for (const [entityId, effect] of planned) {
    model.set(entityId, effect.state, effect.attributes, context);
  }
}
