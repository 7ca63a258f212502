import type { Db } from './db.ts';

/** Keys one device may keep; the frontend uses a handful (core, language, sidebar, …). */
export const MAX_USER_DATA_KEYS = 64;

const GET_ONE = 'SELECT value FROM frontend_user_data WHERE device_id = ? AND key = ?';
const GET_ALL = 'SELECT key, value FROM frontend_user_data WHERE device_id = ? ORDER BY key';
const COUNT_OTHERS =
  'SELECT count(*) AS n FROM frontend_user_data WHERE device_id = ? AND key <> ?';
const UPSERT = `INSERT INTO frontend_user_data (device_id, key, value, updated_at)
  VALUES (?, ?, ?, ?)
  ON CONFLICT (device_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`;

/**
 * Each device's frontend user data (HA: components/frontend/storage.py), as JSON text per key.
 * Values are whatever JSON the frontend sent; HAsync never reads them.
 */
export class UserDataStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** The value under `key`, or null when none was set (as HA's `data.get(key)`). */
  get(deviceId: string, key: string): unknown {
    const row = this.#db.get<{ value: string }>(GET_ONE, deviceId, key);
    return row ? JSON.parse(row.value) : null;
  }

  /** Every key of the device, as HA answers get_user_data without a key. */
  all(deviceId: string): Record<string, unknown> {
    const rows = this.#db.all<{ key: string; value: string }>(GET_ALL, deviceId);
    return Object.fromEntries(rows.map((row) => [row.key, JSON.parse(row.value)]));
  }

  /** Stores `value`; false when the device already holds MAX_USER_DATA_KEYS other keys. */
  set(deviceId: string, key: string, value: unknown, now: number): boolean {
    return this.#db.transaction(() => {
      const others = this.#db.get<{ n: number }>(COUNT_OTHERS, deviceId, key)?.n ?? 0;
      if (others >= MAX_USER_DATA_KEYS) return false;
      this.#db.run(UPSERT, deviceId, key, JSON.stringify(value ?? null), now);
      return true;
    });
  }
}
