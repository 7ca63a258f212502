import { domainOf, type HassContext } from '../protocol/home-assistant.ts';
import type { DemoState } from './compressed-state.ts';
import { haError } from './ha-error.ts';
import {
  type ActionContext,
  ENTITY_ACTIONS,
  type EntityAction,
  lightGroupAction,
  type NestedCall,
  serviceAction,
} from './home-actions.ts';
import type { HomeModel } from './home-model.ts';
import { EFFECTS, type Effect, genericService } from './service-effects.ts';
import { RESPONSES } from './service-responses.ts';
import { type ServiceSpec, serviceSpec, validateServiceData } from './service-schemas.ts';
import { referencedEntities, targetSelector } from './targets.ts';

/** A `call_service` command's payload, after the command schema. */
export interface ServiceCall {
  domain: string;
  service: string;
  service_data?: Record<string, unknown> | undefined;
  target?: Record<string, unknown> | undefined;
  return_response?: boolean | undefined;
}

/** Service responses, keyed by entity id (entity services), or null. */
export type ServiceResponse = Record<string, unknown> | null;

const HA = 'homeassistant';

/** core.py `ServiceRegistry.async_call`: find the service, check responses, validate the data. */
function lookup(call: ServiceCall): ServiceSpec {
  const spec =
    serviceSpec(call.domain, call.service) ??
    serviceSpec(call.domain.toLowerCase(), call.service.toLowerCase());
  if (!spec) {
    const domain = call.domain.toLowerCase();
    const service = call.service.toLowerCase();
    throw haError('not_found', `Service ${domain}.${service} not found.`, {
      translation_domain: HA,
      translation_key: 'service_not_found',
      translation_placeholders: { domain, service },
    });
  }
  if (call.return_response && spec.supportsResponse === 'none') {
    throw validation(
      'service_does_not_support_response',
      "An action which does not return responses can't be called with return_response=True.",
    );
  }
  if (!call.return_response && spec.supportsResponse === 'only') {
    throw validation(
      'service_lacks_response_request',
      'The action requires responses and must be called with return_response=True.',
    );
  }
  return spec;
}

function validation(key: string, message: string) {
  return haError('service_validation_error', `Validation error: ${message}`, {
    translation_domain: HA,
    translation_key: key,
    translation_placeholders: { return_response: 'return_response=True' },
  });
}

/** The entities a call acts on, as helpers/service.py `entity_service_call` picks them. */
function candidates(model: HomeModel, call: ServiceCall, data: Record<string, unknown>) {
  const refs = referencedEntities(model.registry, targetSelector(data));
  const ids = refs.all ? model.states.keys() : [...refs.referenced, ...refs.indirectlyReferenced];
  const out: DemoState[] = [];
  for (const entityId of new Set(ids)) {
    const st = model.states.get(entityId);
    if (st && (call.domain === HA || domainOf(entityId) === call.domain)) out.push(st);
  }
  return out;
}

/** The entity's own service for this call (`homeassistant.*` mapped to the domain's). */
function ownService(call: ServiceCall, current: DemoState): string | undefined {
  const domain = domainOf(current.entity_id);
  if (call.domain !== HA) return call.service;
  return lightGroupAction(current, call.service) || ENTITY_ACTIONS[domain]?.[call.service]
    ? call.service
    : genericService(domain, call.service);
}

function actionFor(service: string | undefined, current: DemoState): EntityAction | undefined {
  if (service === undefined) return undefined;
  return (
    lightGroupAction(current, service) ?? ENTITY_ACTIONS[domainOf(current.entity_id)]?.[service]
  );
}

function effectFor(service: string | undefined, current: DemoState, data: Record<string, unknown>) {
  const fn = service === undefined ? undefined : EFFECTS[domainOf(current.entity_id)]?.[service];
  return fn?.(current, data);
}

/** Nested calls (scripts, scenes, groups) run with the caller's context, as a child of it. */
function nestedRunner(model: HomeModel, context: HassContext): ActionContext {
  return {
    model,
    context,
    call: (nested: NestedCall) => {
      runServiceCall(model, nested, context);
    },
  };
}

/**
 * Runs a service with real effects on the model. Every effect is computed before any is written,
 * so a failing entity changes nothing. Unknown entities are skipped, as Home Assistant does.
 */
export function runServiceCall(
  model: HomeModel,
  call: ServiceCall,
  context: HassContext,
): ServiceResponse {
  const spec = lookup(call);
  const data = validateServiceData(spec, { ...call.service_data, ...call.target });
  if (spec.untargeted) {
    serviceAction(call.domain, call.service)?.(nestedRunner(model, context), data);
    // script/__init__.py `_service_handler`: `response or {}` when a response is asked for.
    return call.return_response ? {} : null;
  }
  const serviceData: Record<string, unknown> = { ...data };
  for (const key of ['entity_id', 'device_id', 'area_id', 'floor_id', 'label_id']) {
    delete serviceData[key];
  }
  const planned: [string, Effect][] = [];
  const actions: [DemoState, EntityAction][] = [];
  const response: Record<string, unknown> = {};
  const respond = RESPONSES[`${call.domain}.${call.service}`];
  for (const current of candidates(model, call, data)) {
    if (respond) response[current.entity_id] = respond(current, serviceData);
    const service = ownService(call, current);
    const action = actionFor(service, current);
    if (action) {
      actions.push([current, action]);
      continue;
    }
    const effect = effectFor(service, current, serviceData);
    if (effect) planned.push([current.entity_id, effect]);
  }
  for (const [entityId, effect] of planned) {
    model.set(entityId, effect.state, effect.attributes, context);
  }
  const ctx = nestedRunner(model, context);
  for (const [current, action] of actions) action(ctx, current, serviceData);
  return call.return_response ? (respond ? response : null) : null;
}
