import type { Db } from './db.ts';

/** A login through Home Assistant's login flow, as stored (times are epoch milliseconds). */
export interface LoginRecord {
  readonly id: string;
  readonly device_id: string;
  readonly client_id: string;
  readonly created_at: number;
  readonly last_used_at: number | null;
}

const LOGIN_COLUMNS = 'id, device_id, client_id, created_at, last_used_at';
const INSERT_LOGIN =
  'INSERT INTO device_logins (id, device_id, client_id, refresh_hash, created_at) VALUES (?, ?, ?, ?, ?)';
const SELECT_BY_REFRESH = `SELECT ${LOGIN_COLUMNS} FROM device_logins WHERE refresh_hash = ?`;
const SELECT_BY_DEVICE = `SELECT ${LOGIN_COLUMNS} FROM device_logins WHERE device_id = ? ORDER BY created_at`;
const TOUCH_LOGIN = 'UPDATE device_logins SET last_used_at = ? WHERE id = ?';
const DELETE_LOGIN = 'DELETE FROM device_logins WHERE id = ?';
const INSERT_ACCESS =
  'INSERT INTO login_access_tokens (token_hash, login_id, expires_at) VALUES (?, ?, ?)';
const DELETE_EXPIRED_ACCESS = 'DELETE FROM login_access_tokens WHERE expires_at <= ?';
const SELECT_BY_ACCESS = `
  SELECT l.id, l.device_id, l.client_id, l.created_at, l.last_used_at
  FROM login_access_tokens a JOIN device_logins l ON l.id = a.login_id
  WHERE a.token_hash = ? AND a.expires_at > ?`;

/** The `device_logins` and `login_access_tokens` tables; callers pass only hashes of tokens. */
export class LoginStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  insert(login: Omit<LoginRecord, 'last_used_at'> & { readonly refresh_hash: string }): void {
    const { id, device_id, client_id, refresh_hash, created_at } = login;
    this.#db.run(INSERT_LOGIN, id, device_id, client_id, refresh_hash, created_at);
  }

  findByRefreshHash(hash: string): LoginRecord | undefined {
    return this.#db.get<LoginRecord>(SELECT_BY_REFRESH, hash);
  }

  /** The login an unexpired access token belongs to. */
  findByAccessHash(hash: string, now: number): LoginRecord | undefined {
    return this.#db.get<LoginRecord>(SELECT_BY_ACCESS, hash, now);
  }

  listForDevice(deviceId: string): LoginRecord[] {
    return this.#db.all<LoginRecord>(SELECT_BY_DEVICE, deviceId);
  }

  touch(id: string, now: number): void {
    this.#db.run(TOUCH_LOGIN, now, id);
  }

  /** Deletes the login and, by cascade, its access tokens. */
  delete(id: string): void {
    this.#db.run(DELETE_LOGIN, id);
  }

  /** Adds an access token and drops every expired one (they are few: one per refresh). */
  addAccessToken(loginId: string, hash: string, expiresAt: number, now: number): void {
    this.#db.run(DELETE_EXPIRED_ACCESS, now);
    this.#db.run(INSERT_ACCESS, hash, loginId, expiresAt);
  }
}
