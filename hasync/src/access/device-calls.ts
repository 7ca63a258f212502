import type { HomeView } from '../cache/home-view.ts';
import { domainOf } from '../protocol/home-assistant.ts';
import { type Authorization, authorizeCall, type CallRequest } from '../scope/authorize-call.ts';
import { pinDomainsOf } from '../scope/scoped-state.ts';
import { errorMessage, HasyncError } from '../shared/errors.ts';
import type { DeviceRecord } from '../storage/device-store.ts';
import { type ActionPinCheck, CODE_REFUSALS } from './action-pin.ts';
import type { PerformedCall } from './sensitive-calls.ts';

/** Calls a service upstream on exactly the given entities; resolves with Home Assistant's result. */
export interface ServiceCaller {
  callService(
    domain: string,
    service: string,
    serviceData: Record<string, unknown>,
    target: { entity_id: string[] },
    returnResponse?: boolean,
  ): Promise<unknown>;
}

/** A service call as a device sent it, over the WebSocket or REST. */
export interface DeviceCallRequest {
  readonly domain: string;
  readonly service: string;
  readonly serviceData: Readonly<Record<string, unknown>>;
  readonly target: Readonly<Record<string, unknown>> | undefined;
  readonly returnResponse: boolean;
}

/** Home Assistant's error object as its WebSocket API sends it (websocket_api/messages.py). */
export interface DeviceCallError {
  readonly code: string;
  readonly message: string;
  readonly translation_key?: string | null;
  readonly translation_domain?: string | null;
  readonly translation_placeholders?: Record<string, unknown> | null;
}

/** The codes Home Assistant's call_service answers with; anything else becomes unknown_error. */
const HA_CALL_CODES = new Set([
  'not_found',
  'invalid_format',
  'service_validation_error',
  'home_assistant_error',
  'unknown_error',
  'unauthorized',
  'timeout',
]);
const TRANSLATION_KEYS = ['translation_key', 'translation_domain', 'translation_placeholders'];

export type CallOutcome =
  | { readonly ok: true; readonly result: unknown; readonly entityIds: readonly string[] }
  | { readonly ok: false; readonly refused: boolean; readonly error: DeviceCallError };

/** What one device's call needs: who asks, what it may see, and where refusals are recorded. */
export interface CallerContext {
  readonly device: DeviceRecord;
  readonly scope: ReadonlySet<string>;
  readonly home: HomeView;
  readonly caller: ServiceCaller;
  /** Checks the `code` of calls that need the device's action PIN. */
  readonly pins: ActionPinCheck;
  denied(domain: string, service: string, reason: string): void;
  /** Records a call that succeeded (sensitive ones reach the audit log: sensitive-calls.ts). */
  performed(call: PerformedCall): void;
}

/** Home Assistant's error for a failed call, with its code and translation fields kept. */
export function upstreamCallError(err: unknown): DeviceCallError {
  if (!(err instanceof HasyncError)) return { code: 'unknown_error', message: errorMessage(err) };
  if (err.code === 'unavailable' || err.code === 'connection_lost') {
    return { code: 'home_assistant_error', message: 'Home Assistant is not connected' };
  }
  const code = HA_CALL_CODES.has(err.code) ? err.code : 'unknown_error';
  const out: Record<string, unknown> = { code, message: err.message };
  // HA: websocket_api/messages.py error_message — the translation keys as Home Assistant sent them.
  for (const key of TRANSLATION_KEYS) {
    if (err.details && key in err.details) out[key] = err.details[key];
  }
  return out as unknown as DeviceCallError;
}

/** HA: homeassistant/components/websocket_api/commands.py handle_call_service (ServiceNotFound) */
function serviceNotFound(domain: string, service: string): DeviceCallError {
  return {
    code: 'not_found',
    message: `Service ${domain}.${service} not found.`,
    translation_key: 'service_not_found',
    translation_domain: 'homeassistant',
    translation_placeholders: { domain, service },
  };
}

/**
 * The call as authorized, and the code it offered for the device's action PIN. While the device
 * has a PIN, `code` is taken out of calls that may need it (a service of a PIN domain, or
 * homeassistant's generic ones): HAsync checks it and never forwards it. A call that turns out not
 * to need the PIN is judged as sent, `code` included.
 */
async function authorize(
  ctx: CallerContext,
  request: CallRequest,
): Promise<Authorization & { readonly refusedCode?: true }> {
  const context = {
    scope: ctx.scope,
    readOnly: ctx.device.read_only,
    home: ctx.home,
    view_only: ctx.device.view_only,
    view_only_domains: ctx.device.view_only_domains,
  };
  const pinDomains = new Set(pinDomainsOf(ctx.device));
  const guarded =
    pinDomains.size > 0 && (pinDomains.has(request.domain) || request.domain === 'homeassistant');
  if (!guarded) return authorizeCall(request, context);
  const { code, ...serviceData } = request.serviceData;
  const verdict = authorizeCall({ ...request, serviceData }, context);
  if (!verdict.allowed) return verdict;
  const needsPin =
    pinDomains.has(request.domain) || verdict.entityIds.some((id) => pinDomains.has(domainOf(id)));
  if (!needsPin) return 'code' in request.serviceData ? authorizeCall(request, context) : verdict;
  const checked = await ctx.pins.check(ctx.device.id, code);
  return checked === 'ok'
    ? verdict
    : { allowed: false, reason: CODE_REFUSALS[checked], refusedCode: true };
}

/**
 * The one path of a device's service call, for the WebSocket and REST alike: a service Home
 * Assistant does not describe is not found, as Home Assistant says; then authorize against the
 * scope, the view-only rules and the action PIN (refusals are recorded), then call upstream on exactly the allowed entities, rebuilt
 * from the verdict (the device's own message is never forwarded).
 */
export async function performCall(
  ctx: CallerContext,
  request: DeviceCallRequest,
): Promise<CallOutcome> {
  const { domain, service } = request;
  if (!ctx.home.services()[domain]?.[service]) {
    // Nothing to protect and nothing forwarded: answered as Home Assistant answers it.
    return { ok: false, refused: false, error: serviceNotFound(domain, service) };
  }
  const verdict = await authorize(ctx, request);
  if (!verdict.allowed) {
    ctx.denied(request.domain, request.service, verdict.reason);
    const code = verdict.invalidFormat ? 'invalid_format' : 'unauthorized';
    return { ok: false, refused: true, error: { code, message: verdict.reason } };
  }
  try {
    const result = await ctx.caller.callService(
      request.domain,
      request.service,
      verdict.serviceData,
      { entity_id: verdict.entityIds },
      request.returnResponse,
    );
    const { serviceData, entityIds } = verdict;
    ctx.performed({ domain, service, serviceData, entityIds });
    return { ok: true, result, entityIds: verdict.entityIds };
  } catch (err) {
    return { ok: false, refused: false, error: upstreamCallError(err) };
  }
}
