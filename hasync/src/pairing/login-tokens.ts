import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../shared/clock.ts';
import type { Db } from '../storage/db.ts';
import { type LoginRecord, LoginStore } from '../storage/login-store.ts';
import { sha256Hex, TOKEN_PREFIX } from './secrets.ts';

/** Home Assistant's access tokens live 30 minutes (homeassistant/auth/const.py ACCESS_TOKEN_EXPIRATION). */
export const ACCESS_TOKEN_TTL_S = 1800;
/** Prefixes keep the three kinds apart at a glance and for secret scanners. */
export const ACCESS_TOKEN_PREFIX = `${TOKEN_PREFIX}access_`;
export const REFRESH_TOKEN_PREFIX = `${TOKEN_PREFIX}refresh_`;
const TOKEN_BYTES = 32;

/** What `/auth/token` hands out for an authorization code. */
export interface IssuedLogin {
  readonly access_token: string;
  readonly refresh_token: string;
  readonly expires_in: number;
}

/** Why a refresh was refused, in Home Assistant's words (components/auth/__init__.py TokenView). */
export type RefreshOutcome =
  | { readonly ok: true; readonly access_token: string; readonly expires_in: number }
  | { readonly ok: false; readonly error: 'invalid_grant' | 'invalid_request' };

function newSecret(prefix: string): string {
  return prefix + randomBytes(TOKEN_BYTES).toString('base64url');
}

/**
 * Logins through Home Assistant's login flow: a refresh token per login and short-lived access
 * tokens, both bound to one device and stored only as SHA-256. The device's revocation deletes
 * them (ON DELETE CASCADE) and DeviceService refuses them from the moment of revocation.
 */
export class LoginTokens {
  readonly #store: LoginStore;
  readonly #db: Db;
  readonly #clock: Clock;

  constructor(db: Db, clock: Clock) {
    this.#db = db;
    this.#store = new LoginStore(db);
    this.#clock = clock;
  }

  /** Starts a login for `deviceId` issued to `clientId`. */
  issue(deviceId: string, clientId: string): IssuedLogin {
    const now = this.#clock.now();
    const id = randomUUID();
    const refresh = newSecret(REFRESH_TOKEN_PREFIX);
    const access = newSecret(ACCESS_TOKEN_PREFIX);
    this.#db.transaction(() => {
      this.#store.insert({
        id,
        device_id: deviceId,
        client_id: clientId,
        refresh_hash: sha256Hex(refresh),
        created_at: now,
      });
      this.#addAccess(id, access, now);
    });
    return { access_token: access, refresh_token: refresh, expires_in: ACCESS_TOKEN_TTL_S };
  }

  /**
   * A new access token for a refresh token. Home Assistant answers an unknown refresh token with
   * `invalid_grant` and one issued to another client (or to none given) with `invalid_request`.
   */
  refresh(refreshToken: string, clientId: string | undefined): RefreshOutcome {
    const login = this.loginOfRefresh(refreshToken);
    if (!login) return { ok: false, error: 'invalid_grant' };
    if (login.client_id !== clientId) return { ok: false, error: 'invalid_request' };
    const now = this.#clock.now();
    const access = newSecret(ACCESS_TOKEN_PREFIX);
    this.#db.transaction(() => {
      this.#addAccess(login.id, access, now);
      this.#store.touch(login.id, now);
    });
    return { ok: true, access_token: access, expires_in: ACCESS_TOKEN_TTL_S };
  }

  loginOfRefresh(refreshToken: string): LoginRecord | undefined {
    if (!refreshToken.startsWith(REFRESH_TOKEN_PREFIX)) return undefined;
    return this.#store.findByRefreshHash(sha256Hex(refreshToken));
  }

  /** The device an unexpired access token belongs to. */
  deviceOfAccess(accessToken: string): string | undefined {
    if (!accessToken.startsWith(ACCESS_TOKEN_PREFIX)) return undefined;
    return this.#store.findByAccessHash(sha256Hex(accessToken), this.#clock.now())?.device_id;
  }

  #addAccess(loginId: string, access: string, now: number): void {
    this.#store.addAccessToken(loginId, sha256Hex(access), now + ACCESS_TOKEN_TTL_S * 1000, now);
  }
}
