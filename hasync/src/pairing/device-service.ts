import type { HomeView } from '../cache/home-view.ts';
import { resolveScope } from '../scope/resolve-scope.ts';
import type { EventBus } from '../shared/bus.ts';
import type { Clock } from '../shared/clock.ts';
import { HasyncError } from '../shared/errors.ts';
import type { DeviceChange, HasyncEvents } from '../shared/events.ts';
import type { Logger } from '../shared/logger.ts';
import type { Module } from '../shared/module.ts';
import { AuditStore, type NewAuditEntry } from '../storage/audit-store.ts';
import type { Db } from '../storage/db.ts';
import { type DevicePatch, type DeviceRecord, DeviceStore } from '../storage/device-store.ts';
import { type IssuedLogin, LoginTokens, type RefreshOutcome } from './login-tokens.ts';
import { Revocations, type UnsavedRevocation } from './revocations.ts';
import { sha256Hex, TOKEN_PREFIX } from './secrets.ts';

/** Who is connected right now. The device gateway provides the real one. */
export interface DevicePresence {
  isOnline(deviceId: string): boolean;
}

/** Until a gateway reports presence, every device is offline. */
export const NOBODY_ONLINE: DevicePresence = { isOnline: () => false };

/** A device as the admin API shows it. */
export type DeviceView = DeviceRecord & { readonly online: boolean };

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
  #presence: DevicePresence = NOBODY_ONLINE;

  constructor(deps: DeviceServiceDeps) {
    this.#deps = deps;
    this.#store = new DeviceStore(deps.db);
    this.#audit = new AuditStore(deps.db);
    this.#log = deps.log.child({ module: this.name });
    this.#revocations = new Revocations(this.#log, (r) => this.#saveRevocation(r));
    this.#logins = new LoginTokens(deps.db, deps.clock);
  }

  async start(): Promise<void> {}

  /** Stops retrying unsaved revocations. */
  async stop(): Promise<void> {
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
   * or revoked). The WebSocket and REST routes both ask here.
   */
  authenticate(token: string): DeviceRecord | undefined {
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

  /** A new access token for a login's refresh token; refused once the device is revoked. */
  refreshLogin(refreshToken: string, clientId: string | undefined): RefreshOutcome {
    const login = this.#logins.loginOfRefresh(refreshToken);
    if (login && this.#revocations.has(login.device_id))
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

  patch(id: string, patch: DevicePatch, actor: string): DeviceView {
    const updated = this.#deps.db.transaction(() => {
      const before = this.#require(id);
      checkNoOverlap(patch.entities ?? before.entities, patch.excluded ?? before.excluded);
      this.#store.update(id, patch);
      const after = this.#require(id);
      for (const entry of auditEntries(before, after)) {
        this.#audit.append({ ...entry, at: this.#deps.clock.now(), actor, device_id: id });
      }
      return after;
    });
    this.#log.info({ device_id: id }, 'device updated');
    this.#deps.bus.emit('device_updated', toChange(updated));
    return this.#view(updated);
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
    this.#log.info({ device_id: id }, 'device revoked');
    this.#deps.bus.emit('device_revoked', { device_id: id });
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

export function toChange(device: DeviceRecord): DeviceChange {
  const { id, name, read_only, areas, entities, excluded } = device;
  return { device_id: id, name, read_only, areas, entities, excluded };
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

type AuditPart = Pick<NewAuditEntry, 'action' | 'detail'>;

function auditEntries(before: DeviceRecord, after: DeviceRecord): AuditPart[] {
  const entries: AuditPart[] = [];
  if (before.name !== after.name) {
    entries.push({ action: 'device_renamed', detail: { from: before.name, to: after.name } });
  }
  if (before.read_only !== after.read_only) {
    entries.push({ action: 'device_read_only_changed', detail: { read_only: after.read_only } });
  }
  const rule = (d: DeviceRecord) => JSON.stringify([d.areas, d.entities, d.excluded]);
  if (rule(before) !== rule(after)) {
    const { areas, entities, excluded } = after;
    entries.push({
      action: 'device_rescoped',
      detail: {
        from: { areas: before.areas, entities: before.entities, excluded: before.excluded },
        to: { areas, entities, excluded },
      },
    });
  }
  return entries;
}
