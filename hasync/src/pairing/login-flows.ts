import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../shared/clock.ts';
import { HasyncError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { ANDROID_CLIENT_ID, IOS_CLIENT_ID, isAllowedRedirect } from './client-ids.ts';
import type { DeviceService } from './device-service.ts';
import type { IssuedLogin } from './login-tokens.ts';
import type { PairingService } from './pairing-service.ts';

/** OAuth 4.2.1 recommends 10 minutes at most; Home Assistant uses exactly that (auth/__init__.py). */
export const AUTH_CODE_TTL_MS = 10 * 60 * 1000;
/** An unfinished login flow is forgotten after this long. */
export const FLOW_TTL_MS = 10 * 60 * 1000;
/** Open flows kept at most (the oldest is dropped): a flood of new flows costs bounded memory. */
export const MAX_OPEN_FLOWS = 500;
const NAME_MAX = 100;

/** What the device typed into the login form. */
export interface LoginInput {
  readonly pin?: string;
  readonly code?: string;
  readonly name?: string;
}

/** A login-flow error key (Home Assistant's `errors.base`), and the pairing service's words. */
export type LoginError = 'invalid_auth' | 'pairing_gone' | 'pin_required' | 'limit_reached';

export type FlowStep =
  | {
      readonly kind: 'form';
      readonly flowId: string;
      readonly error?: LoginError;
      readonly reason?: string;
    }
  | { readonly kind: 'created'; readonly flowId: string; readonly code: string };

interface Flow {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly peer: string;
  readonly createdAt: number;
}

interface AuthCode {
  readonly clientId: string;
  readonly deviceId: string;
  readonly createdAt: number;
}

export interface LoginFlowsDeps {
  readonly log: Logger;
  readonly clock: Clock;
  readonly pairing: PairingService;
  readonly devices: DeviceService;
}

/**
 * Home Assistant's login flow with a pairing PIN (or QR code) as the credential. Finishing the
 * flow pairs a device exactly as `POST /api/pair` does (same limits, audit and SSE event) and
 * yields a single-use authorization code that `/auth/token` exchanges for the device's login.
 * Flows and codes live in memory, as in Home Assistant; a code nobody exchanges within
 * AUTH_CODE_TTL_MS revokes the device it made, so no device is left without a credential.
 */
export class LoginFlows {
  readonly #deps: LoginFlowsDeps;
  readonly #log: Logger;
  readonly #flows = new Map<string, Flow>();
  readonly #codes = new Map<string, AuthCode>();

  constructor(deps: LoginFlowsDeps) {
    this.#deps = deps;
    this.#log = deps.log.child({ module: 'login-flow' });
  }

  /** Opens a flow; throws `forbidden` when the redirect does not belong to the client. */
  start(clientId: string, redirectUri: string, peer: string): FlowStep {
    this.#sweep();
    if (!isAllowedRedirect(clientId, redirectUri)) {
      throw new HasyncError('forbidden', 'Invalid redirect URI');
    }
    if (this.#flows.size >= MAX_OPEN_FLOWS) {
      const oldest = this.#flows.keys().next().value;
      if (oldest !== undefined) this.#flows.delete(oldest);
    }
    const flowId = randomBytes(16).toString('hex');
    this.#flows.set(flowId, { clientId, redirectUri, peer, createdAt: this.#now() });
    return { kind: 'form', flowId };
  }

  /**
   * One submission of the form. Throws `not_found` (unknown flow), `invalid_input` (another
   * address), `forbidden` (redirect not the client's) or the pairing service's
   * `too_many_requests`; a wrong or dead PIN is a form with an error, as in Home Assistant.
   */
  submit(flowId: string, clientId: string, input: LoginInput, peer: string): FlowStep {
    this.#sweep();
    const flow = this.#flows.get(flowId);
    if (!flow) throw new HasyncError('not_found', 'Invalid flow specified');
    if (flow.peer !== peer) throw new HasyncError('invalid_input', 'IP address changed');
    if (!isAllowedRedirect(clientId, flow.redirectUri)) {
      throw new HasyncError('forbidden', 'Invalid redirect URI');
    }
    const pin = input.pin?.replace(/\s/g, '') ?? '';
    const code = input.code?.trim() ?? '';
    if (pin === '' && code === '') return { kind: 'form', flowId, error: 'pin_required' };
    const name = input.name?.trim().slice(0, NAME_MAX) || defaultName(clientId);
    const type = deviceType(clientId);
    const attempt = code !== '' ? { code, name, type } : { pin, name, type };
    try {
      const device = this.#deps.pairing.pair(attempt, peer);
      this.#flows.delete(flowId);
      return { kind: 'created', flowId, code: this.#newCode(clientId, device.device_id) };
    } catch (err) {
      return { kind: 'form', flowId, ...formError(err) };
    }
  }

  /** Aborts a flow; false when there is none. */
  abort(flowId: string): boolean {
    return this.#flows.delete(flowId);
  }

  /** Exchanges a code (once, within AUTH_CODE_TTL_MS, by the client it was issued to). */
  exchange(clientId: string, code: string): IssuedLogin | undefined {
    this.#sweep();
    const key = codeKey(clientId, code);
    const entry = this.#codes.get(key);
    if (!entry) return undefined;
    this.#codes.delete(key);
    if (this.#deps.devices.isRevoked(entry.deviceId)) return undefined;
    return this.#deps.devices.issueLogin(entry.deviceId, clientId);
  }

  #newCode(clientId: string, deviceId: string): string {
    const code = randomUUID().replaceAll('-', '') + randomBytes(16).toString('hex');
    this.#codes.set(codeKey(clientId, code), { clientId, deviceId, createdAt: this.#now() });
    return code;
  }

  /** Drops stale flows; revokes the devices of codes nobody exchanged in time. */
  #sweep(): void {
    const now = this.#now();
    for (const [id, flow] of this.#flows) {
      if (now - flow.createdAt >= FLOW_TTL_MS) this.#flows.delete(id);
    }
    for (const [key, entry] of this.#codes) {
      if (now - entry.createdAt < AUTH_CODE_TTL_MS) continue;
      this.#codes.delete(key);
      this.#revokeUnclaimed(entry.deviceId);
    }
  }

  #revokeUnclaimed(deviceId: string): void {
    try {
      if (!this.#deps.devices.isRevoked(deviceId)) this.#deps.devices.revoke(deviceId, 'system');
      this.#log.info({ device_id: deviceId }, 'login code expired unused; its device is revoked');
    } catch (err) {
      this.#log.warn(
        { err, device_id: deviceId },
        'could not revoke the device of an unused login code',
      );
    }
  }

  #now(): number {
    return this.#deps.clock.now();
  }
}

function codeKey(clientId: string, code: string): string {
  return `${clientId}\n${code}`;
}

/** The pairing service's refusals as form errors; rate limits and our own bugs pass through. */
function formError(err: unknown): { error: LoginError; reason?: string } {
  if (!(err instanceof HasyncError)) throw err;
  switch (err.code) {
    case 'unauthorized':
      return { error: 'invalid_auth' };
    case 'gone':
      return { error: 'pairing_gone', reason: err.message };
    case 'limit_reached':
      return { error: 'limit_reached', reason: err.message };
    default:
      throw err;
  }
}

function defaultName(clientId: string): string {
  if (clientId === ANDROID_CLIENT_ID) return 'Android Companion app';
  if (clientId === IOS_CLIENT_ID) return 'iOS Companion app';
  return 'Home Assistant in a browser';
}

function deviceType(clientId: string): string {
  return clientId === ANDROID_CLIENT_ID || clientId === IOS_CLIENT_ID ? 'companion_app' : 'browser';
}
