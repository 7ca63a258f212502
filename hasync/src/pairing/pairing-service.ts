import { randomUUID } from 'node:crypto';
import type { EventBus } from '../shared/bus.ts';
import type { Clock } from '../shared/clock.ts';
import { HasyncError } from '../shared/errors.ts';
import type { HasyncEvents } from '../shared/events.ts';
import type { Logger } from '../shared/logger.ts';
import type { Module } from '../shared/module.ts';
import { AuditStore } from '../storage/audit-store.ts';
import type { Db } from '../storage/db.ts';
import { DeviceStore } from '../storage/device-store.ts';
import { type PairingRecord, type PairingStatus, PairingStore } from '../storage/pairing-store.ts';
import {
  generateCode,
  generatePin,
  generateToken,
  hashPin,
  sameHash,
  sha256Hex,
} from './secrets.ts';

/** Wrong PINs a pending pairing survives; the fifth locks it. */
export const MAX_WRONG_PINS = 5;
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

/** What the admin asked for: an optional preset name and the new device's scope. */
export interface PairingRequest {
  readonly name?: string;
  readonly areas?: readonly string[];
  readonly entities?: readonly string[];
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
  | { kind: 'full' };

const GONE_MESSAGES: Record<PairingStatus, string> = {
  pending: 'this pairing is not available',
  completed: 'this pairing was already used; ask for a new PIN',
  expired: 'this pairing has expired; ask for a new PIN',
  cancelled: 'this pairing was cancelled; ask for a new PIN',
  locked: 'this pairing is locked after too many wrong PINs; ask for a new PIN',
};

/**
 * The PIN / QR-code pairing lifecycle: offers with a TTL, single use, five wrong PINs lock every
 * pending offer, expiry swept by a timer and on every use, device creation with the preset scope.
 */
export class PairingService implements Module {
  readonly name = 'pairing';
  readonly #deps: PairingServiceDeps;
  readonly #pairings: PairingStore;
  readonly #devices: DeviceStore;
  readonly #audit: AuditStore;
  readonly #log: Logger;
  #sweep: NodeJS.Timeout | undefined;

  constructor(deps: PairingServiceDeps) {
    this.#deps = deps;
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
   * Pairs a device. Throws `unauthorized` (wrong PIN/code), `gone` (expired, cancelled, locked or
   * used) or `limit_reached`; `peer` is the client's address, for the audit log.
   */
  pair(attempt: PairAttempt, peer: string): PairedDevice {
    this.expireDue();
    const actor = `device@${peer}`;
    const outcome = this.#deps.db.transaction(() => this.#attempt(attempt, actor));
    return this.#conclude(outcome, peer);
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
      const locked = by === 'pin' ? this.#pairings.countFailure(MAX_WRONG_PINS) : [];
      for (const id of locked) {
        this.#audit.append({ at: now, actor, action: 'pairing_burned', pairing_id: id });
      }
      return { kind: 'wrong', locked, by };
    }
    if (match.status !== 'pending') return { kind: 'gone', status: match.status };
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
    this.#pairings.complete(pairing.id, id);
    this.#audit.append({
      at: now,
      actor,
      action: 'pairing_completed',
      pairing_id: pairing.id,
      device_id: id,
      detail: { name, type: attempt.type ?? 'other' },
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
          { peer, by: outcome.by, locked: outcome.locked.length },
          'pairing attempt failed',
        );
        for (const id of outcome.locked) {
          this.#deps.bus.emit('pairing_expired', { pairing_id: id, status: 'locked' });
        }
        throw new HasyncError(
          'unauthorized',
          outcome.by === 'pin' ? 'wrong PIN' : 'unknown pairing code',
        );
      case 'gone':
        throw new HasyncError('gone', GONE_MESSAGES[outcome.status]);
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
