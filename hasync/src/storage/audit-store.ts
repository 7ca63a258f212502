import type { Db } from './db.ts';

/** What happened; every security-relevant change has one. */
export type AuditAction =
  | 'pairing_created'
  | 'pairing_cancelled'
  | 'pairing_completed'
  | 'pairing_failed'
  | 'pairing_burned'
  | 'pairing_expired'
  | 'device_renamed'
  | 'device_rescoped'
  | 'device_read_only_changed'
  | 'device_revoked'
  | 'service_call_denied'
  /** Refused calls over the per-device recording limit, counted in one row per window. */
  | 'service_calls_denied_summary';

/** One audit entry as stored; `at` is epoch milliseconds, `detail` never holds secrets. */
export interface AuditEntry {
  readonly id: number;
  readonly at: number;
  readonly actor: string;
  readonly action: string;
  readonly device_id: string | null;
  readonly pairing_id: string | null;
  readonly detail: Record<string, unknown>;
}

export interface NewAuditEntry {
  readonly at: number;
  readonly actor: string;
  readonly action: AuditAction;
  readonly device_id?: string | null;
  readonly pairing_id?: string | null;
  readonly detail?: Record<string, unknown>;
}

interface AuditRow extends Omit<AuditEntry, 'detail'> {
  detail: string;
}

const INSERT = `INSERT INTO audit_log (at, actor, action, device_id, pairing_id, detail)
  VALUES (?, ?, ?, ?, ?, ?)`;
const COLUMNS = 'id, at, actor, action, device_id, pairing_id, detail';
const PAGE = `SELECT ${COLUMNS} FROM audit_log ORDER BY id DESC LIMIT ?`;
const DELETE_OLDER = 'DELETE FROM audit_log WHERE at < ?';
const DELETE_BEYOND = `DELETE FROM audit_log WHERE id <= (
  SELECT id FROM audit_log ORDER BY id DESC LIMIT 1 OFFSET ?)`;
const PAGE_BEFORE = `SELECT ${COLUMNS} FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?`;

/** The append-only audit log. */
export class AuditStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  append(entry: NewAuditEntry): number {
    return this.#db.run(
      INSERT,
      entry.at,
      entry.actor,
      entry.action,
      entry.device_id ?? null,
      entry.pairing_id ?? null,
      JSON.stringify(entry.detail ?? {}),
    ).lastInsertRowid;
  }

  /** Deletes entries older than `before` (epoch ms) and all but the newest `maxRows`; the count. */
  prune(before: number, maxRows: number): number {
    return this.#db.transaction(
      () =>
        this.#db.run(DELETE_OLDER, before).changes + this.#db.run(DELETE_BEYOND, maxRows).changes,
    );
  }

  /** Newest first; `before` is an entry id (the last one of the previous page). */
  page(limit: number, before?: number): AuditEntry[] {
    const rows =
      before === undefined
        ? this.#db.all<AuditRow>(PAGE, limit)
        : this.#db.all<AuditRow>(PAGE_BEFORE, before, limit);
    return rows.map((row) => ({ ...row, detail: JSON.parse(row.detail) }));
  }
}
