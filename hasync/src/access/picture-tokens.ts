import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PictureRewriter } from '../scope/scoped-state.ts';

/** How long one picture token lasts; the previous window's is still accepted. */
export const PICTURE_TOKEN_WINDOW_MS = 5 * 60 * 1000;

/** The MAC part of a token: hex SHA-256. */
const MAC_HEX_LENGTH = 64;

/**
 * Tokens in the `entity_picture` URLs HAsync gives devices, in place of Home Assistant's own
 * access tokens: `<device id>.<HMAC of device, entity and time window>` under a secret made at
 * start-up, so an `<img>` can load the picture through HAsync's proxy without a header. A token
 * names the device it was made for and opens only its own entity's picture; it stops working
 * within two windows (as Home Assistant rotates its camera tokens). Nothing is stored: whether
 * the device may still see the entity (not revoked, not past its end date, inside its hours, the
 * entity still in its scope) is the proxy's question on every request (routes/image-proxy.ts).
 */
export class PictureTokens {
  readonly #secret = randomBytes(32);
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  sign(deviceId: string, entityId: string): string {
    const window = Math.floor(this.#now() / PICTURE_TOKEN_WINDOW_MS);
    return `${deviceId}.${this.#mac(deviceId, entityId, window)}`;
  }

  /** The device a token was made for, if it is a token of this entity from this window or the last. */
  deviceOf(entityId: string, token: string): string | undefined {
    const dot = token.lastIndexOf('.');
    const deviceId = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1));
    if (dot <= 0 || given.length !== MAC_HEX_LENGTH) return undefined;
    const window = Math.floor(this.#now() / PICTURE_TOKEN_WINDOW_MS);
    const valid = [window, window - 1].some((w) =>
      timingSafeEqual(Buffer.from(this.#mac(deviceId, entityId, w)), given),
    );
    return valid ? deviceId : undefined;
  }

  /**
   * The rewriter of one device's picture URLs: Home Assistant's proxy path on HAsync, with a token
   * of this device in place of Home Assistant's.
   */
  rewriterFor(deviceId: string): PictureRewriter {
    return (entityId, url) => {
      const [path = '', query = ''] = url.split('?');
      const params = new URLSearchParams(query);
      params.set('token', this.sign(deviceId, entityId));
      return `${path}?${params.toString()}`;
    };
  }

  #mac(deviceId: string, entityId: string, window: number): string {
    return createHmac('sha256', this.#secret)
      .update(JSON.stringify([deviceId, entityId, window]))
      .digest('hex');
  }
}
