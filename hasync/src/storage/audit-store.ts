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
  /** View-only, end date, schedule or action PIN changed; `detail.changes` says how, in words. */
  | 'device_rules_changed'
  /** The device's end date passed: its token stops working until an admin extends it. */
  | 'device_expired'
  | 'device_revoked'
  /** Screensaver or dim schedule changed; `detail.changes` says how, in words. */
  | 'device_display_changed'
  /** An admin asked the device's screens to reload or identify; `detail.delivered` screens got it. */
  | 'device_action_sent'
  /**
   * A device's call that did something sensitive succeeded (unlock, disarm, open a garage door…);
   * `detail.words` says what, as "unlocked Front Door" (access/sensitive-calls.ts).
   */
  | 'sensitive_call'
  /** Sensitive calls over the per-device recording limit, counted in one row per window. */
  | 'sensitive_calls_summary'
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
const PAGE_OF_DEVICE = `SELECT ${COLUMNS} FROM audit_log WHERE device_id = ? AND id < ?
  ORDER BY id DESC LIMIT ?`;
/** Entries that name a device: paired as, renamed to, revoked as. Oldest first, so the last wins. */
const NAMES = `SELECT device_id, detail FROM audit_log
  WHERE device_id IN (SELECT value FROM json_each(?))
    AND action IN ('pairing_completed', 'device_renamed', 'device_revoked')
  ORDER BY id`;
/** Larger than any id SQLite hands out, for "no `before`". */
const NO_BEFORE = Number.MAX_SAFE_INTEGER;

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

  /** One device's entries, newest first, also after it was revoked; `before` as for `page`. */
  pageOfDevice(deviceId: string, limit: number, before?: number): AuditEntry[] {
    const rows = this.#db.all<AuditRow>(PAGE_OF_DEVICE, deviceId, before ?? NO_BEFORE, limit);
    return rows.map((row) => ({ ...row, detail: JSON.parse(row.detail) }));
  }

  /**
   * The last name the log knows for each device (as paired, renamed or revoked), so that activity
   * still names a device after it is gone.
   */
  deviceNames(deviceIds: readonly string[]): Map<string, string> {
    const names = new Map<string, string>();
    if (deviceIds.length === 0) return names;
    const rows = this.#db.all<{ device_id: string; detail: string }>(
      NAMES,
      JSON.stringify([...new Set(deviceIds)]),
    );
    for (const row of rows) {
      const detail = JSON.parse(row.detail) as { name?: unknown; to?: unknown };
      const name = typeof detail.to === 'string' ? detail.to : detail.name;
      if (typeof name === 'string') names.set(row.device_id, name);
    }
    return names;
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
