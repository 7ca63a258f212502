import type { ServerResponse } from 'node:http';
import { validEntityId } from '../protocol/voluptuous/cv.ts';
import { Invalid } from '../protocol/voluptuous/vol.ts';
import { HasyncError } from '../shared/errors.ts';
import type { SessionHost } from './commands.ts';
import { toHassState } from './compressed-state.ts';
import { newContext } from './home-model.ts';
import { type PlainStatus, sendJson, sendMessage, sendPlain } from './http-replies.ts';
import type { ServiceCall } from './service-call.ts';
import { serviceCatalog } from './service-catalog.ts';
import { serviceSpec } from './service-schemas.ts';
import type { DemoUser } from './users.ts';

/** What the REST views need from the demo home. */
export type RestHost = Pick<SessionHost, 'model' | 'config' | 'callService' | 'userFor'>;

/** One authenticated request, as a view sees it. */
export interface ViewRequest {
  readonly host: RestHost;
  readonly user: DemoUser;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The request body as text ('' when none). */
  readonly body: string;
  readonly res: ServerResponse;
}

export type View = (req: ViewRequest) => void;

/** core.py `State` (`validate_state`): a state is at most 255 characters. */
const MAX_LENGTH_STATE_STATE = 255;

/** HA: homeassistant/components/api/__init__.py APIStatusView.get */
export const apiStatus: View = ({ res }) => sendMessage(res, 'API running.');

/** HA: homeassistant/components/api/__init__.py APICoreStateView.get */
export const coreState: View = ({ res }) => sendJson(res, { state: 'RUNNING' });

/** HA: homeassistant/components/api/__init__.py APIConfigView.get (`Config.as_dict`) */
export const config: View = ({ host, res }) => sendJson(res, host.config());

/** HA: homeassistant/components/api/__init__.py APIComponentsView.get */
export const components: View = ({ host, res }) => sendJson(res, host.config().components);

/**
 * HA: homeassistant/components/api/__init__.py APIStatesView.get. A non-admin user gets the
 * states it may read; Home Assistant's default user group reads every entity
 * (auth/permissions/... `DEFAULT_POLICY` / system groups), so the guest gets them all too.
 */
export const states: View = ({ host, res }) =>
  sendJson(res, [...host.model.states.values()].map(toHassState));

/** HA: homeassistant/components/api/__init__.py APIEntityStateView.get */
export const entityState: View = ({ host, params, res }) => {
  const st = host.model.states.get(params.entity_id ?? '');
  if (!st) return sendMessage(res, 'Entity not found.', 404);
  sendJson(res, toHassState(st));
};

/** HA: homeassistant/components/api/__init__.py APIEntityStateView.post (admin only). */
export const setEntityState: View = ({ host, user, params, body, res }) => {
  if (!user.is_admin) return sendPlain(res, 401);
  const entityId = params.entity_id ?? '';
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return sendMessage(res, 'Invalid JSON specified.', 400);
  }
  // Home Assistant calls `data.get(...)`: anything but an object is an uncaught error there.
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return sendPlain(res, 500);
  const { state, attributes } = data as Record<string, unknown>;
  if (state === undefined || state === null) return sendMessage(res, 'No state specified.', 400);
  if (!validEntityId(entityId)) return sendMessage(res, 'Invalid entity ID specified.', 400);
  const text = String(state);
  if (text.length > MAX_LENGTH_STATE_STATE) {
    return sendMessage(res, 'Invalid state specified.', 400);
  }
  const isNew = !host.model.states.has(entityId);
  const attrs = attributes && typeof attributes === 'object' ? attributes : {};
  const written = host.model.set(
    entityId,
    text,
    attrs as Record<string, unknown>,
    newContext(user.id),
  );
  res.setHeader('location', `/api/states/${entityId}`);
  sendJson(res, toHassState(written), isNew ? 201 : 200);
};

/** HA: homeassistant/components/api/__init__.py APIEntityStateView.delete (admin only). */
export const removeEntityState: View = ({ host, user, params, res }) => {
  if (!user.is_admin) return sendPlain(res, 401);
  if (host.model.remove(params.entity_id ?? '')) return sendMessage(res, 'Entity removed.');
  sendMessage(res, 'Entity not found.', 404);
};

/** HA: homeassistant/components/api/__init__.py APIServicesView.get (`async_services_json`). */
export const services: View = ({ res }) =>
  sendJson(
    res,
    Object.entries(serviceCatalog()).map(([domain, described]) => ({
      domain,
      services: described,
    })),
  );

/** Reads a service call's body as Home Assistant does: '' is no data, otherwise JSON. */
function parseServiceData(body: string): { data: unknown } | undefined {
  if (body === '') return { data: null };
  try {
    return { data: JSON.parse(body) };
  } catch {
    return undefined;
  }
}

/** Python's truth value of a JSON value: empty strings, arrays and objects are false too. */
function pythonTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}

/**
 * Home Assistant 2024.8+ checks `?return_response` against the service before calling it
 * (HA: homeassistant/components/api/__init__.py APIDomainServicesView.post, current dev branch).
 */
function responseMismatch(supports: string, requested: boolean): string | undefined {
  if (requested && supports === 'none') {
    return 'Service does not support responses. Remove return_response from request.';
  }
  if (!requested && supports === 'only') {
    return (
      'Service call requires responses but caller did not ask for responses. ' +
      'Add ?return_response to query parameters.'
    );
  }
  return undefined;
}

/**
 * How a failed call reaches the client: vol.Invalid and ServiceNotFound are 400 (the view's own
 * `except`), Unauthorized 401 (helpers/http.py `request_handler_factory`), anything else —
 * ServiceValidationError and HomeAssistantError included — an uncaught 500.
 */
function failedCallStatus(err: unknown): PlainStatus {
  if (err instanceof Invalid) return 400;
  const code = err instanceof HasyncError ? err.code : '';
  if (code === 'not_found' || code === 'invalid_format') return 400;
  return code === 'unauthorized' ? 401 : 500;
}

/**
 * HA: homeassistant/components/api/__init__.py APIDomainServicesView.post — calls the service
 * through the demo home's own call path (the WebSocket API's effects and errors) and answers the
 * states whose context is the call's, with the service response when `?return_response` is given.
 */
export const callService: View = ({ host, user, params, query, body, res }) => {
  const parsed = parseServiceData(body);
  if (!parsed) return sendMessage(res, 'Data should be valid JSON.', 400);
  // core.py ServiceRegistry.has_service / async_call: domain and service are lower-cased.
  const domain = (params.domain ?? '').toLowerCase();
  const service = (params.service ?? '').toLowerCase();
  const spec = serviceSpec(domain, service);
  if (!spec) return sendPlain(res, 400);
  const returnResponse = query.has('return_response');
  const mismatch = responseMismatch(spec.supportsResponse, returnResponse);
  if (mismatch) return sendMessage(res, mismatch, 400);
  // core.py async_call: `service_data or {}`, then the schema, which refuses a non-object.
  const data = pythonTruthy(parsed.data) ? parsed.data : {};
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return sendPlain(res, 400);
  const call: ServiceCall = {
    domain,
    service,
    service_data: data as Record<string, unknown>,
    return_response: returnResponse,
  };
  let outcome: ReturnType<RestHost['callService']>;
  try {
    outcome = host.callService(call, user.id);
  } catch (err) {
    return sendPlain(res, failedCallStatus(err));
  }
  const changed = [...host.model.states.values()]
    .filter((st) => st.context.id === outcome.context.id)
    .map(toHassState);
  if (!returnResponse) return sendJson(res, changed);
  sendJson(res, { changed_states: changed, service_response: outcome.response });
};
