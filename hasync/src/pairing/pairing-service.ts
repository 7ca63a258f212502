import { randomUUID } from 'node:crypto';
import type { EventBus } from '../shared/bus.ts';
import { clientKey } from '../shared/client-address.ts';
import type { Clock } from '../shared/clock.ts';
import { HasyncError } from '../shared/errors.ts';
import type { HasyncEvents } from '../shared/events.ts';
import type { Logger } from '../shared/logger.ts';
import type { Module } from '../shared/module.ts';
import { AuditStore } from '../storage/audit-store.ts';
import type { Db } from '../storage/db.ts';
import { DeviceStore } from '../storage/device-store.ts';
import { type PairingRecord, type PairingStatus, PairingStore } from '../storage/pairing-store.ts';
import { AttemptLimiter } from './attempt-limiter.ts';
import {
  generateCode,
  generatePin,
  generateToken,
  hashPin,
  sameHash,
  sha256Hex,
} from './secrets.ts';

/**
 * Wrong PINs, from all clients together, that a pending pairing's PIN survives; the twentieth
 * disables the PIN (its QR code keeps working). A wrong PIN names no pairing, so it counts
 * against every pending one: this budget bounds guessing spread over many addresses (at most
 * 20 guesses in 1,000,000 per pairing).
 */
export const MAX_WRONG_PINS = 20;
/**
 * Wrong PINs one client (IPv4 address, IPv6 /64) may send within `CLIENT_WRONG_PIN_WINDOW_MS`;
 * after that its PIN attempts are refused (429) until the oldest leaves the window. One stranger
 * therefore never reaches MAX_WRONG_PINS and cannot disable anybody's PIN.
 */
export const MAX_WRONG_PINS_PER_CLIENT = 5;
export const CLIENT_WRONG_PIN_WINDOW_MS = 15 * 60 * 1000;
/** How often pending pairings are checked for expiry (they are also checked on every use). */
const SWEEP_INTERVAL_MS = 1000;
/** A PIN that died this recently still gets "gone" (410) instead of "wrong" (401). */
const DEAD_PIN_MEMORY_MS = 60 * 60 * 1000;
const PIN_DRAWS = 20;

export interface PairingServiceDeps {
  readonly log: Logger;
  readonly db: Db;
  readonly bus: EventBus<HasyncEvents>;
  readonly clock: Clock;
  readonly config: { readonly pinTtlS: number; readonly maxDevices: number };
}

/**
 * What the admin asked for: an optional preset name, the new device's scope and, for a guest, the
 * end date the device gets (ISO 8601 with a zone, in the future).
 */
export interface PairingRequest {
  readonly name?: string;
  readonly areas?: readonly string[];
  readonly entities?: readonly string[];
  readonly expires_at?: string;
}

/** Shown once to the admin: the PIN and the QR secret are not stored in clear. */
export interface PairingOffer {
  readonly id: string;
  readonly pin: string;
  readonly code: string;
  readonly expires_at: number;
}

export interface PairingState {
  readonly id: string;
  readonly status: PairingStatus;
  /** Too many wrong PINs: the PIN no longer pairs; the QR code still does while pending. */
  readonly pin_locked: boolean;
  readonly device_id: string | null;
  readonly expires_at: number;
}

/** A device's attempt: exactly one of `pin` and `code`. */
export interface PairAttempt {
  readonly pin?: string;
  readonly code?: string;
  readonly name: string;
  readonly type?: string;
}

/** Shown once to the device: the token is stored only as its SHA-256. */
export interface PairedDevice {
  readonly device_id: string;
  readonly token: string;
  readonly name: string;
}

type AttemptOutcome =
  | { kind: 'paired'; device: PairedDevice; pairingId: string }
  | { kind: 'wrong'; locked: string[]; by: 'pin' | 'code' }
  | { kind: 'gone'; status: PairingStatus }
  | { kind: 'pin_locked' }
  | { kind: 'full' };

const PIN_LOCKED_MESSAGE =
  'this PIN is disabled after too many wrong PINs; scan the QR code or ask for a new PIN';

const GONE_MESSAGES: Record<PairingStatus, string> = {
  pending: 'this pairing is not available',
  completed: 'this pairing was already used; ask for a new PIN',
  expired: 'this pairing has expired; ask for a new PIN',
  cancelled: 'this pairing was cancelled; ask for a new PIN',
  locked: 'this pairing is locked after too many wrong PINs; ask for a new PIN',
};

/**
 * The PIN / QR-code pairing lifecycle: offers with a TTL, single use, expiry swept by a timer and
 * on every use, device creation with the preset scope. Wrong PINs are limited per client first
 * (MAX_WRONG_PINS_PER_CLIENT) and per pairing second (MAX_WRONG_PINS disables only the PIN);
 * the QR code, a 128-bit secret, is never locked by wrong PINs. Both counts live in memory: a
 * restart forgets them, which only the host's owner can cause.
 */
export class PairingService implements Module {
  readonly name = 'pairing';
  readonly #deps: PairingServiceDeps;
  readonly #pairings: PairingStore;
  readonly #devices: DeviceStore;
  readonly #audit: AuditStore;
  readonly #log: Logger;
  readonly #wrongPinsByClient: AttemptLimiter;
  /** Wrong PINs counted against each pending pairing since it was created. */
  readonly #wrongPins = new Map<string, number>();
  #sweep: NodeJS.Timeout | undefined;

  constructor(deps: PairingServiceDeps) {
    this.#deps = deps;
    this.#wrongPinsByClient = new AttemptLimiter(
      { max: MAX_WRONG_PINS_PER_CLIENT, windowMs: CLIENT_WRONG_PIN_WINDOW_MS },
      deps.clock,
    );
    this.#pairings = new PairingStore(deps.db);
    this.#devices = new DeviceStore(deps.db);
    this.#audit = new AuditStore(deps.db);
    this.#log = deps.log.child({ module: 'pairing' });
  }

  async start(): Promise<void> {
    this.expireDue();
    this.#sweep = setInterval(() => this.expireDue(), SWEEP_INTERVAL_MS);
    this.#sweep.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#sweep);
    this.#sweep = undefined;
  }

  /** Creates a pending pairing; throws `limit_reached` when `max_devices` are already paired. */
  create(request: PairingRequest, actor: string): PairingOffer {
    this.#checkRoom();
    const now = this.#deps.clock.now();
    const id = randomUUID();
    const pin = this.#freshPin(now);
    const code = generateCode();
    const expiresAt = now + this.#deps.config.pinTtlS * 1000;
    const areas = [...new Set(request.areas ?? [])];
    const entities = [...new Set(request.entities ?? [])];
    const deviceExpiresAt = guestEndDate(request.expires_at, now);
    this.#deps.db.transaction(() => {
      this.#pairings.insert({
        id,
        pin_hash: hashPin(id, pin),
        code_hash: sha256Hex(code),
        name: request.name ?? null,
        areas,
        entities,
        created_by: actor,
        created_at: now,
        expires_at: expiresAt,
        device_expires_at: deviceExpiresAt,
      });
      this.#audit.append({
        at: now,
        actor,
        action: 'pairing_created',
        pairing_id: id,
        detail: {
          name: request.name ?? null,
          areas,
          entities,
          expires_at: new Date(expiresAt).toISOString(),
          ...(deviceExpiresAt ? { device_expires_at: deviceExpiresAt } : {}),
        },
      });
    });
    this.#log.info({ pairing_id: id }, 'pairing created');
    return { id, pin, code, expires_at: expiresAt };
  }

  /** Throws `not_found` for an unknown id. */
  status(id: string): PairingState {
    this.expireDue();
    const pairing = this.#require(id);
    return {
      id,
      status: pairing.status,
      pin_locked: this.#pinLocked(id),
      device_id: pairing.device_id,
      expires_at: pairing.expires_at,
    };
  }

  /** Cancels a pending pairing (idempotent); a completed one cannot be cancelled. */
  cancel(id: string, actor: string): void {
    this.expireDue();
    const pairing = this.#require(id);
    if (pairing.status === 'cancelled') return;
    if (pairing.status !== 'pending') {
      throw new HasyncError('conflict', `pairing ${id} is ${pairing.status}, not pending`);
    }
    this.#deps.db.transaction(() => {
      this.#pairings.finish(id, 'cancelled');
      this.#audit.append({ at: this.#clock(), actor, action: 'pairing_cancelled', pairing_id: id });
    });
    this.#log.info({ pairing_id: id }, 'pairing cancelled');
  }

  /**
   * Pairs a device. Throws `unauthorized` (wrong PIN/code), `gone` (expired, cancelled, used, or
   * its PIN disabled), `too_many_requests` (this client sent too many wrong PINs; details carry
   * `retry_after_s`) or `limit_reached`; `peer` is the client's address.
   */
  pair(attempt: PairAttempt, peer: string): PairedDevice {
    this.expireDue();
    const client = clientKey(peer);
    if (attempt.code === undefined) this.#checkClient(client);
    const actor = `device@${peer}`;
    const outcome = this.#deps.db.transaction(() => this.#attempt(attempt, actor));
    if (outcome.kind === 'wrong' && outcome.by === 'pin') this.#wrongPinsByClient.record(client);
    return this.#conclude(outcome, peer);
  }

  #checkClient(client: string): void {
    const result = this.#wrongPinsByClient.check(client);
    if (result.allowed) return;
    throw new HasyncError(
      'too_many_requests',
      'too many wrong PINs from this address; wait, or scan the QR code',
      { details: { retry_after_s: result.retryAfterS } },
    );
  }

  #pinLocked(id: string): boolean {
    return (this.#wrongPins.get(id) ?? 0) >= MAX_WRONG_PINS;
  }

  /**
   * Counts a wrong PIN against every pending pairing whose PIN still works; returns those whose
   * PIN it disabled. Counts of pairings no longer pending are dropped.
   */
  #countWrongPin(pending: readonly string[]): string[] {
    const live = new Set(pending);
    for (const id of this.#wrongPins.keys()) if (!live.has(id)) this.#wrongPins.delete(id);
    const locked: string[] = [];
    for (const id of pending) {
      if (this.#pinLocked(id)) continue;
      const count = (this.#wrongPins.get(id) ?? 0) + 1;
      this.#wrongPins.set(id, count);
      if (count >= MAX_WRONG_PINS) locked.push(id);
    }
    return locked;
  }

  /** Moves every pending pairing past its time to `expired`, audits and announces it. */
  expireDue(): void {
    const now = this.#clock();
    if (!this.#pairings.hasDue(now)) return;
    const expired = this.#deps.db.transaction(() => {
      const ids = this.#pairings.expireDue(now);
      for (const id of ids) {
        this.#audit.append({ at: now, actor: 'system', action: 'pairing_expired', pairing_id: id });
      }
      return ids;
    });
    for (const id of expired) {
      this.#log.info({ pairing_id: id }, 'pairing expired');
      this.#deps.bus.emit('pairing_expired', { pairing_id: id, status: 'expired' });
    }
  }

  #attempt(attempt: PairAttempt, actor: string): AttemptOutcome {
    const now = this.#clock();
    const by = attempt.code !== undefined ? 'code' : 'pin';
    const match =
      attempt.code !== undefined
        ? this.#matchCode(attempt.code)
        : this.#matchPin(attempt.pin ?? '', now);
    if (!match) {
      this.#audit.append({
        at: now,
        actor,
        action: 'pairing_failed',
        detail: { reason: `wrong_${by}` },
      });
      const locked = by === 'pin' ? this.#countWrongPin(this.#pendingIds(now)) : [];
      for (const id of locked) {
        const detail = { pin_disabled: true, code_still_valid: true };
        this.#audit.append({ at: now, actor, action: 'pairing_burned', pairing_id: id, detail });
      }
      return { kind: 'wrong', locked, by };
    }
    if (match.status !== 'pending') return { kind: 'gone', status: match.status };
    if (by === 'pin' && this.#pinLocked(match.id)) return { kind: 'pin_locked' };
    if (this.#devices.count() >= this.#deps.config.maxDevices) {
      const detail = { reason: 'max_devices' };
      this.#audit.append({
        at: now,
        actor,
        action: 'pairing_failed',
        pairing_id: match.id,
        detail,
      });
      return { kind: 'full' };
    }
    return {
      kind: 'paired',
      device: this.#createDevice(match, attempt, actor),
      pairingId: match.id,
    };
  }

  #createDevice(pairing: PairingRecord, attempt: PairAttempt, actor: string): PairedDevice {
    const now = this.#clock();
    const id = randomUUID();
    const token = generateToken();
    const name = pairing.name ?? attempt.name;
    this.#devices.insert({
      id,
      name,
      type: attempt.type ?? 'other',
      token_hash: sha256Hex(token),
      read_only: false,
      created_at: now,
      areas: pairing.areas,
      entities: pairing.entities,
      excluded: [],
    });
    if (pairing.device_expires_at !== null)
      this.#devices.update(id, { expires_at: pairing.device_expires_at });
    this.#pairings.complete(pairing.id, id);
    this.#audit.append({
      at: now,
      actor,
      action: 'pairing_completed',
      pairing_id: pairing.id,
      device_id: id,
      detail: {
        name,
        type: attempt.type ?? 'other',
        ...(pairing.device_expires_at ? { expires_at: pairing.device_expires_at } : {}),
      },
    });
    return { device_id: id, token, name };
  }

  #conclude(outcome: AttemptOutcome, peer: string): PairedDevice {
    switch (outcome.kind) {
      case 'paired':
        this.#log.info(
          { device_id: outcome.device.device_id, pairing_id: outcome.pairingId },
          'device paired',
        );
        this.#deps.bus.emit('pairing_completed', {
          pairing_id: outcome.pairingId,
          device_id: outcome.device.device_id,
          name: outcome.device.name,
        });
        return outcome.device;
      case 'wrong':
        this.#log.warn(
          { peer, by: outcome.by, pins_disabled: outcome.locked.length },
          'pairing attempt failed',
        );
        throw new HasyncError(
          'unauthorized',
          outcome.by === 'pin' ? 'wrong PIN' : 'unknown pairing code',
        );
      case 'gone':
        throw new HasyncError('gone', GONE_MESSAGES[outcome.status]);
      case 'pin_locked':
        throw new HasyncError('gone', PIN_LOCKED_MESSAGE);
      case 'full':
        throw this.#fullError();
    }
  }

  /** Compares against every recent pairing without stopping early; pending matches win. */
  #matchPin(pin: string, now: number): PairingRecord | undefined {
    let found: PairingRecord | undefined;
    for (const pairing of this.#pairings.listRecent(now - DEAD_PIN_MEMORY_MS)) {
      const same = sameHash(hashPin(pairing.id, pin), pairing.pin_hash);
      if (same && (!found || pairing.status === 'pending')) found = pairing;
    }
    return found;
  }

  #pendingIds(now: number): string[] {
    return this.#pairings
      .listRecent(now)
      .filter((p) => p.status === 'pending')
      .map((p) => p.id);
  }

  #matchCode(code: string): PairingRecord | undefined {
    const codeHash = sha256Hex(code);
    const pairing = this.#pairings.findByCodeHash(codeHash);
    return pairing && sameHash(codeHash, pairing.code_hash) ? pairing : undefined;
  }

  /** A PIN no other recent pairing uses, so a PIN always names one pairing. */
  #freshPin(now: number): string {
    const recent = this.#pairings.listRecent(now - DEAD_PIN_MEMORY_MS);
    for (let draw = 0; draw < PIN_DRAWS; draw++) {
      const pin = generatePin();
      if (!recent.some((p) => sameHash(hashPin(p.id, pin), p.pin_hash))) return pin;
    }
    throw new HasyncError('limit_reached', 'too many pairings are open; cancel some first');
  }

  #checkRoom(): void {
    if (this.#devices.count() >= this.#deps.config.maxDevices) throw this.#fullError();
  }

  #fullError(): HasyncError {
    const max = this.#deps.config.maxDevices;
    return new HasyncError(
      'limit_reached',
      `${max} devices are paired, the maximum (max_devices); revoke one or raise max_devices`,
    );
  }

  #require(id: string): PairingRecord {
    const pairing = this.#pairings.get(id);
    if (!pairing) throw new HasyncError('not_found', `no pairing with id ${id}`);
    return pairing;
  }

  #clock(): number {
    return this.#deps.clock.now();
  }
}

/**
 * A guest pairing's end date in UTC, or null without one. Like `PATCH /api/devices/:id` it must
 * parse as a date; unlike it, it must lie in the future (a guest whose access already ended could
 * never use the device).
 */
function guestEndDate(expiresAt: string | undefined, now: number): string | null {
  if (expiresAt === undefined) return null;
  const at = Date.parse(expiresAt);
  if (Number.isNaN(at))
    throw new HasyncError('invalid_input', 'expires_at must be an ISO 8601 date and time');
  if (at <= now) throw new HasyncError('invalid_input', 'expires_at must be in the future');
  return new Date(at).toISOString();
}
