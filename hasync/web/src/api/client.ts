import { healthWatch } from './health.ts';
import type {
  Area,
  AuditEntry,
  Dashboard,
  Device,
  DevicePatch,
  DeviceWithScope,
  DisplayAction,
  Entity,
  Floor,
  Label,
  Pairing,
  PairingRequest,
  PairingStatus,
  Status,
} from './types.ts';

/** A failed API call, with a message fit to show a person (never a stack trace). */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status: number) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
  }
}

function isErrorBody(body: unknown): body is { error: { code: string; message: string } } {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = (body as { error: unknown }).error;
  return typeof error === 'object' && error !== null && 'message' in error && 'code' in error;
}

async function failure(res: Response): Promise<ApiError> {
  const body: unknown = await res.json().catch(() => undefined);
  if (isErrorBody(body)) return new ApiError(body.error.code, body.error.message, res.status);
  return new ApiError(
    'http_error',
    `The server answered ${res.status} ${res.statusText}`,
    res.status,
  );
}

// Paths stay relative ("./api/..."): under Home Assistant ingress the page lives below
// /api/hassio_ingress/<token>/, and every request must stay under that prefix.
async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { accept: 'application/json', 'content-type': 'application/json' };
  }
  let res: Response;
  try {
    res = await fetch(`./api/${path}`, init);
  } catch {
    throw new ApiError('network', 'HAsync cannot be reached. Check that the app is running.', 0);
  }
  // A change the disk did not take shows up in health (a revocation even answers 204): ask now,
  // so the storage banner appears with the first failed write rather than at the next poll.
  if (method !== 'GET' || res.status >= 500) healthWatch.refresh();
  if (!res.ok) throw await failure(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

const id = (value: string) => encodeURIComponent(value);

/** Typed calls to the admin API. */
export const api = {
  status: () => request<Status>('GET', 'status'),
  devices: () => request<Device[]>('GET', 'devices'),
  device: (deviceId: string) => request<DeviceWithScope>('GET', `devices/${id(deviceId)}`),
  patchDevice: (deviceId: string, patch: DevicePatch) =>
    request<DeviceWithScope>('PATCH', `devices/${id(deviceId)}`, patch),
  /** Sends a reload or identify to the device's open screens; how many got it. */
  deviceAction: (deviceId: string, action: DisplayAction) =>
    request<{ delivered: number }>('POST', `devices/${id(deviceId)}/actions`, { action }),
  revokeDevice: (deviceId: string) => request<void>('DELETE', `devices/${id(deviceId)}`),
  createPairing: (body: PairingRequest) => request<Pairing>('POST', 'pairings', body),
  pairing: (pairingId: string) => request<PairingStatus>('GET', `pairings/${id(pairingId)}`),
  cancelPairing: (pairingId: string) => request<void>('DELETE', `pairings/${id(pairingId)}`),
  areas: () => request<Area[]>('GET', 'areas'),
  dashboards: () => request<Dashboard[]>('GET', 'dashboards'),
  floors: () => request<Floor[]>('GET', 'floors'),
  labels: () => request<Label[]>('GET', 'labels'),
  entities: (filter: { area?: string; q?: string; domain?: string }) =>
    request<Entity[]>('GET', `entities${query(filter)}`),
  audit: (limit: number, before?: number, device?: string) =>
    request<AuditEntry[]>('GET', `audit${query({ limit, before, device })}`),
};

/** A message for anything thrown by an API call. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return 'Something went wrong. Try again.';
}
