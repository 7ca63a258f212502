import type { Db } from './db.ts';

export type PairingStatus = 'pending' | 'completed' | 'expired' | 'cancelled' | 'locked';

/** A pairing offer as stored: PIN and code only as hashes. Times are epoch milliseconds. */
export interface PairingRecord {
  readonly id: string;
  readonly pin_hash: string;
  readonly code_hash: string;
  readonly name: string | null;
  readonly areas: string[];
  readonly entities: string[];
  /** The end date the paired device gets (ISO 8601, UTC), or null: none. */
  readonly device_expires_at: string | null;
  readonly status: PairingStatus;
  readonly failed_attempts: number;
  readonly created_by: string;
  readonly created_at: number;
  readonly expires_at: number;
  readonly device_id: string | null;
}

export type NewPairing = Omit<PairingRecord, 'status' | 'failed_attempts' | 'device_id'>;

interface PairingRow extends Omit<PairingRecord, 'areas' | 'entities'> {
  areas: string;
  entities: string;
}

const COLUMNS =
  'id, pin_hash, code_hash, name, areas, entities, status, failed_attempts, created_by, ' +
  'created_at, expires_at, device_id, device_expires_at';
const INSERT = `INSERT INTO pairings (id, pin_hash, code_hash, name, areas, entities, status,
  created_by, created_at, expires_at, device_expires_at)
  VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`;
const SELECT_ONE = `SELECT ${COLUMNS} FROM pairings WHERE id = ?`;
const SELECT_BY_CODE = `SELECT ${COLUMNS} FROM pairings WHERE code_hash = ?`;
const SELECT_RECENT = `SELECT ${COLUMNS} FROM pairings
  WHERE status = 'pending' OR expires_at > ? ORDER BY created_at`;
const SET_STATUS = `UPDATE pairings SET status = ? WHERE id = ? AND status = 'pending'`;
const COMPLETE = `UPDATE pairings SET status = 'completed', device_id = ?
  WHERE id = ? AND status = 'pending'`;
const EXPIRE_DUE = `UPDATE pairings SET status = 'expired'
  WHERE status = 'pending' AND expires_at <= ? RETURNING id`;
const ANY_DUE = `SELECT 1 AS due FROM pairings WHERE status = 'pending' AND expires_at <= ? LIMIT 1`;
const COUNT_FAILURE = `UPDATE pairings SET failed_attempts = failed_attempts + 1
  WHERE status = 'pending' RETURNING id, failed_attempts`;
const LOCK = `UPDATE pairings SET status = 'locked' WHERE id = ? AND status = 'pending'`;

/** Pairing offers. Status changes only ever leave `pending`, so a finished pairing stays put. */
export class PairingStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  insert(pairing: NewPairing): void {
    this.#db.run(
      INSERT,
      pairing.id,
      pairing.pin_hash,
      pairing.code_hash,
      pairing.name,
      JSON.stringify(pairing.areas),
      JSON.stringify(pairing.entities),
      pairing.created_by,
      pairing.created_at,
      pairing.expires_at,
      pairing.device_expires_at,
    );
  }

  get(id: string): PairingRecord | undefined {
    return fromRow(this.#db.get<PairingRow>(SELECT_ONE, id));
  }

  findByCodeHash(codeHash: string): PairingRecord | undefined {
    return fromRow(this.#db.get<PairingRow>(SELECT_BY_CODE, codeHash));
  }

  /** Pending pairings plus those whose validity ended after `since` (to answer 410 for them). */
  listRecent(since: number): PairingRecord[] {
    return this.#db
      .all<PairingRow>(SELECT_RECENT, since)
      .map((row) => fromRow(row) as PairingRecord);
  }

  /** Moves a pending pairing to `status`; false if it was no longer pending. */
  finish(id: string, status: 'expired' | 'cancelled' | 'locked'): boolean {
    return this.#db.run(SET_STATUS, status, id).changes > 0;
  }

  complete(id: string, deviceId: string): boolean {
    return this.#db.run(COMPLETE, deviceId, id).changes > 0;
  }

  /** True if some pending pairing's time is up (a read, so the idle sweep writes nothing). */
  hasDue(now: number): boolean {
    return this.#db.get<{ due: number }>(ANY_DUE, now) !== undefined;
  }

  /** Marks every pending pairing whose time is up as expired; returns their ids. */
  expireDue(now: number): string[] {
    return this.#db.all<{ id: string }>(EXPIRE_DUE, now).map((row) => row.id);
  }

  /**
   * Counts one wrong PIN against every pending pairing (a wrong PIN names none of them) and
   * locks those that reached `maxFailures`; returns the ids it locked.
   */
  countFailure(maxFailures: number): string[] {
    const counted = this.#db.all<{ id: string; failed_attempts: number }>(COUNT_FAILURE);
    const locked = counted.filter((row) => row.failed_attempts >= maxFailures).map((r) => r.id);
    for (const id of locked) this.#db.run(LOCK, id);
    return locked;
  }
}

function fromRow(row: PairingRow | undefined): PairingRecord | undefined {
  if (!row) return undefined;
  return { ...row, areas: JSON.parse(row.areas), entities: JSON.parse(row.entities) };
}
