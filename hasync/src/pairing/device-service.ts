import { ActionPins, hashActionPin } from '../access/action-pin.ts';
import type { HomeView } from '../cache/home-view.ts';
import {
  type DisplayAction,
  type DisplayEvent,
  type DisplaySettings,
  dimScheduleProblem,
} from '../protocol/wall-display.ts';
import { resolveScope } from '../scope/resolve-scope.ts';
import { type DeviceAccess, deviceAccess, expired } from '../scope/schedule.ts';
import type { EventBus } from '../shared/bus.ts';
import { type Clock, type TimerHandle, timersOf } from '../shared/clock.ts';
import { HasyncError } from '../shared/errors.ts';
import type { DeviceChange, HasyncEvents } from '../shared/events.ts';
import type { Logger } from '../shared/logger.ts';
import type { Module } from '../shared/module.ts';
import { AuditStore } from '../storage/audit-store.ts';
import type { Db } from '../storage/db.ts';
import { type DevicePatch, type DeviceRecord, DeviceStore } from '../storage/device-store.ts';
import { auditEntries, displayChanges } from './device-audit.ts';
import { type IssuedLogin, LoginTokens, type RefreshOutcome } from './login-tokens.ts';
import { Revocations, type UnsavedRevocation } from './revocations.ts';
import { sha256Hex, TOKEN_PREFIX } from './secrets.ts';

/** Who is connected right now, and their wall displays. The device gateway provides the real one. */
export interface DevicePresence {
  isOnline(deviceId: string): boolean;
  /**
   * Sends a wall-display event to the device's live `hasync/display/subscribe` subscriptions;
   * returns how many sessions got it (0: none subscribed, or the device is offline).
   */
  sendDisplay(deviceId: string, event: DisplayEvent): number;
}

/** Until a gateway reports presence, every device is offline. */
export const NOBODY_ONLINE: DevicePresence = { isOnline: () => false, sendDisplay: () => 0 };

/** How often end dates are looked at; the gateway closes sessions on its own timer. */
const EXPIRY_CHECK_MS = 1000;

/** A device as the admin API shows it. */
export type DeviceView = DeviceRecord & { readonly online: boolean };

/**
 * An admin's change: the stored fields, with the action PIN itself (4–8 digits, or null to remove
 * it) in place of its hash.
 */
export type DeviceUpdate = Omit<DevicePatch, 'action_pin_hash' | 'display'> & {
  readonly action_pin?: string | null;
  /** Wall-display settings; a field left out keeps its stored value. */
  readonly display?: Partial<DisplaySettings>;
};

export interface DeviceServiceDeps {
  readonly log: Logger;
  readonly db: Db;
  readonly bus: EventBus<HasyncEvents>;
  readonly clock: Clock;
  readonly home: HomeView;
}

/**
 * Lists, changes and revokes paired devices, and checks device tokens. Every change is audited in
 * the same transaction and announced on the bus after it commits — except revocation, which takes
 * effect in memory first and is saved when the disk allows (revocations.ts).
 */
export class DeviceService implements Module {
  readonly name = 'devices';
  readonly #deps: DeviceServiceDeps;
  readonly #store: DeviceStore;
  readonly #audit: AuditStore;
  readonly #log: Logger;
  readonly #revocations: Revocations;
  readonly #logins: LoginTokens;
  /** Checks the codes of calls that need a device's action PIN (the gateway and REST use it). */
  readonly actionPins: ActionPins;
  #presence: DevicePresence = NOBODY_ONLINE;
  /** End dates not yet passed (null: passed and announced). */
  readonly #endDates = new Map<string, string | null>();
  #expiryTimer: TimerHandle | undefined;

  constructor(deps: DeviceServiceDeps) {
    this.#deps = deps;
    this.#store = new DeviceStore(deps.db);
    this.#audit = new AuditStore(deps.db);
    this.#log = deps.log.child({ module: this.name });
    this.#revocations = new Revocations(this.#log, (r) => this.#saveRevocation(r));
    this.#logins = new LoginTokens(deps.db, deps.clock);
    this.actionPins = new ActionPins({
      clock: deps.clock,
      hashOf: (id) => this.#store.actionPinHash(id),
    });
  }

  /** Watches end dates: each one passing is audited and announced (`device_expired`) once. */
  async start(): Promise<void> {
    const now = this.#deps.clock.now();
    for (const device of this.#store.list()) {
      if (device.expires_at === null) continue;
      // Ended while HAsync was stopped: already told, or nobody was listening.
      if (expired(device.expires_at, now)) this.#endDates.set(device.id, null);
      else this.#endDates.set(device.id, device.expires_at);
    }
    // A guest pairing gives its device an end date: watch it from the moment it pairs.
    this.#deps.bus.on(this.name, 'pairing_completed', ({ device_id }) => {
      const expiresAt = this.#store.get(device_id)?.expires_at;
      if (expiresAt) this.#endDates.set(device_id, expiresAt);
    });
    this.#expiryTimer = timersOf(this.#deps.clock).every(EXPIRY_CHECK_MS, () =>
      this.#announceExpired(),
    );
  }

  /** Stops watching end dates and retrying unsaved revocations. */
  async stop(): Promise<void> {
    this.#deps.bus.off(this.name);
    this.#expiryTimer?.cancel();
    this.#revocations.stop();
  }

  /** The gateway plugs in here once it tracks sessions. */
  setPresence(presence: DevicePresence): void {
    this.#presence = presence;
  }

  list(): DeviceView[] {
    return this.#store
      .list()
      .filter((device) => !this.#revocations.has(device.id))
      .map((device) => this.#view(device));
  }

  /** Throws `not_found` for an unknown id. */
  get(id: string): DeviceView {
    return this.#view(this.#require(id));
  }

  /** The entity ids the device may see right now, sorted. */
  scopeOf(device: DeviceRecord): string[] {
    return [...resolveScope(device, this.#deps.home)].sort();
  }

  /**
   * The device holding `token` — its device token, or an unexpired access token of one of its
   * logins (Home Assistant's login flow, /auth/token) — or undefined (unknown, malformed, expired
   * or revoked; also once the device is past its end date, until an admin extends it). The
   * REST routes ask here; the WebSocket asks `identify` and closes an expired device's socket
   * with 4001 instead, so that its client keeps the token for when it is extended.
   */
  authenticate(token: string): DeviceRecord | undefined {
    const device = this.identify(token);
    return device && !expired(device.expires_at, this.#deps.clock.now()) ? device : undefined;
  }

  /** The device holding `token`, whether or not it is past its end date (see `authenticate`). */
  identify(token: string): DeviceRecord | undefined {
    if (!token.startsWith(TOKEN_PREFIX)) return undefined;
    const loginDevice = this.#logins.deviceOfAccess(token);
    const device = loginDevice
      ? this.#store.get(loginDevice)
      : this.#store.findByTokenHash(sha256Hex(token));
    return device && !this.#revocations.has(device.id) ? device : undefined;
  }

  /** Starts a login of a device paired through the login flow (tokens shown once). */
  issueLogin(deviceId: string, clientId: string): IssuedLogin {
    return this.#logins.issue(deviceId, clientId);
  }

  /**
   * A new access token for a login's refresh token; refused (`invalid_grant`) once the device is
   * revoked, and while it is past its end date — the same refresh token works again once an
   * admin extends it.
   */
  refreshLogin(refreshToken: string, clientId: string | undefined): RefreshOutcome {
    const login = this.#logins.loginOfRefresh(refreshToken);
    if (login && this.#revocations.has(login.device_id))
      return { ok: false, error: 'invalid_grant' };
    const device = login && this.#store.get(login.device_id);
    if (device && expired(device.expires_at, this.#deps.clock.now()))
      return { ok: false, error: 'invalid_grant' };
    return this.#logins.refresh(refreshToken, clientId);
  }

  /**
   * Ends the login holding `refreshToken` (`POST /auth/revoke`, the frontend's "Log out"). A
   * login-paired device has no other credential, so this revokes the device: its sessions close
   * and the admin sees it go. Unknown tokens are ignored, as Home Assistant ignores them.
   */
  revokeLogin(refreshToken: string, actor: string): string | undefined {
    const login = this.#logins.loginOfRefresh(refreshToken);
    if (!login || this.#revocations.has(login.device_id)) return undefined;
    this.revoke(login.device_id, actor);
    return login.device_id;
  }

  /**
   * Whether the device may be used now: not past its end date, inside its schedule (on Home
   * Assistant's wall clock). Asked on connect, before each command and by the gateway's timer.
   */
  access(device: Pick<DeviceRecord, 'expires_at' | 'schedule'>): DeviceAccess {
    return deviceAccess(device, this.#deps.clock.now(), this.#deps.home.config()?.time_zone);
  }

  /** True once the device is revoked, from the moment of revocation (saved or not yet). */
  isRevoked(id: string): boolean {
    return this.#revocations.has(id);
  }

  /** Revocations in force that the disk has not taken yet (health reports them). */
  unsavedRevocations(): number {
    return this.#revocations.unsavedCount();
  }

  /**
   * Records that the device was just seen (the gateway calls this on connect and disconnect).
   * Best effort: a full or read-only disk must not stop a device from connecting.
   */
  touch(id: string): void {
    try {
      this.#store.touch(id, this.#deps.clock.now());
    } catch (err) {
      this.#log.warn({ err, device_id: id }, 'could not record when the device was last seen');
    }
  }

  /** Applies an admin's change; audited in words and announced (`device_updated`) once saved. */
  patch(id: string, update: DeviceUpdate, actor: string): DeviceView {
    const patch = toPatch(update);
    let displayChanged = false;
    const updated = this.#deps.db.transaction(() => {
      const before = this.#require(id);
      checkNoOverlap(patch.entities ?? before.entities, patch.excluded ?? before.excluded);
      const display = update.display && mergeDisplay(before.display, update.display);
      this.#store.update(id, display ? { ...patch, display } : patch);
      const after = this.#require(id);
      const pinSet = typeof update.action_pin === 'string';
      displayChanged = displayChanges(before.display, after.display).length > 0;
      for (const entry of auditEntries(this.#deps.home, before, after, pinSet)) {
        this.#audit.append({ ...entry, at: this.#deps.clock.now(), actor, device_id: id });
      }
      return after;
    });
    this.#log.info({ device_id: id }, 'device updated');
    if (updated.expires_at === null) this.#endDates.delete(id);
    else if (this.#endDates.get(id) !== updated.expires_at)
      this.#endDates.set(id, updated.expires_at);
    this.#deps.bus.emit('device_updated', toChange(updated));
    if (displayChanged) this.#presence.sendDisplay(id, { display: updated.display });
    return this.#view(updated);
  }

  /**
   * Asks the device's screens to reload or identify themselves, over their live
   * `hasync/display/subscribe` subscriptions; audited. Returns how many sessions got it; throws
   * `not_found` for an unknown device and `device_offline` when no session subscribed.
   */
  act(id: string, action: DisplayAction, actor: string): { delivered: number } {
    this.#require(id);
    const delivered = this.#presence.sendDisplay(id, { action });
    if (delivered === 0) {
      throw new HasyncError(
        'device_offline',
        'the device has no open screen listening for admin actions: open HAsync on it and try again',
      );
    }
    this.#log.info({ device_id: id, action, delivered }, 'display action sent');
    try {
      this.#audit.append({
        at: this.#deps.clock.now(),
        actor,
        action: 'device_action_sent',
        device_id: id,
        detail: { action, delivered },
      });
    } catch (err) {
      // Already on the screens: a full disk must not turn it into a failure.
      this.#log.warn({ err, device_id: id }, 'could not audit a display action');
    }
    return { delivered };
  }

  /**
   * Revokes the device: its token fails from now on and the gateway closes its sessions (4001),
   * even if the disk cannot take the change; the device is deleted and the revocation audited
   * when it can (retried until then).
   */
  revoke(id: string, actor: string): void {
    const device = this.#require(id);
    this.#revocations.revoke({
      deviceId: id,
      name: device.name,
      actor,
      at: this.#deps.clock.now(),
    });
    this.#endDates.delete(id);
    this.#log.info({ device_id: id }, 'device revoked');
    this.#deps.bus.emit('device_revoked', { device_id: id });
  }

  #announceExpired(): void {
    const now = this.#deps.clock.now();
    for (const [id, expiresAt] of this.#endDates) {
      if (expiresAt === null || !expired(expiresAt, now)) continue;
      this.#endDates.set(id, null);
      if (this.#revocations.has(id)) continue;
      this.#log.info({ device_id: id, expires_at: expiresAt }, 'device expired');
      try {
        this.#audit.append({
          at: now,
          actor: 'system',
          action: 'device_expired',
          device_id: id,
          detail: { expires_at: expiresAt },
        });
      } catch (err) {
        this.#log.warn({ err, device_id: id }, 'could not audit the end of a device');
      }
      this.#deps.bus.emit('device_expired', { device_id: id, expires_at: expiresAt });
    }
  }

  #saveRevocation({ deviceId, name, actor, at }: UnsavedRevocation): void {
    this.#deps.db.transaction(() => {
      this.#store.delete(deviceId);
      this.#audit.append({
        at,
        actor,
        action: 'device_revoked',
        device_id: deviceId,
        detail: { name },
      });
    });
  }

  #require(id: string): DeviceRecord {
    const device = this.#revocations.has(id) ? undefined : this.#store.get(id);
    if (!device) throw new HasyncError('not_found', `no device with id ${id}`);
    return device;
  }

  #view(device: DeviceRecord): DeviceView {
    return { ...device, online: this.#presence.isOnline(device.id) };
  }
}

/** The bus payload of a device's settings (no PIN hash: only whether there is a PIN). */
export function toChange(device: DeviceRecord): DeviceChange {
  const { id, type: _type, created_at: _created, last_seen_at: _seen, ...rule } = device;
  return { device_id: id, ...rule };
}

/**
 * The stored form of an admin's change: an ISO end date in UTC, the PIN hashed; the display
 * settings are merged with the stored ones inside the transaction (mergeDisplay).
 */
function toPatch(update: DeviceUpdate): DevicePatch {
  const { action_pin, expires_at, display: _display, ...rest } = update;
  const patch: { -readonly [K in keyof DevicePatch]: DevicePatch[K] } = { ...rest };
  if (action_pin !== undefined) {
    patch.action_pin_hash = action_pin === null ? null : hashActionPin(action_pin);
  }
  if (expires_at !== undefined) {
    const at = expires_at === null ? Number.NaN : Date.parse(expires_at);
    if (expires_at !== null && Number.isNaN(at))
      throw new HasyncError(
        'invalid_input',
        'expires_at must be an ISO 8601 date and time, or null',
      );
    patch.expires_at = expires_at === null ? null : new Date(at).toISOString();
  }
  return patch;
}

/** The stored settings with the admin's fields over them; a dim schedule that cannot apply is refused. */
function mergeDisplay(before: DisplaySettings, update: Partial<DisplaySettings>): DisplaySettings {
  const display = { ...before, ...update };
  const problem = dimScheduleProblem(display.dim_schedule);
  if (problem) throw new HasyncError('invalid_input', problem);
  return display;
}

function checkNoOverlap(entities: readonly string[], excluded: readonly string[]): void {
  const excludedSet = new Set(excluded);
  const both = entities.filter((entityId) => excludedSet.has(entityId));
  if (both.length > 0) {
    throw new HasyncError(
      'invalid_input',
      `entities and excluded must not share ids: ${both.slice(0, 5).join(', ')}`,
    );
  }
}
