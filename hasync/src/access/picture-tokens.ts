import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long one picture token lasts; the previous window's is still accepted. */
export const PICTURE_TOKEN_WINDOW_MS = 5 * 60 * 1000;

/**
 * Tokens in the `entity_picture` URLs HAsync gives devices, in place of Home Assistant's own
 * access tokens: an HMAC of the entity and the time window under a secret made at start-up, so
 * an `<img>` can load the picture through HAsync's proxy without a header, a token only opens its
 * own entity's picture, and it stops working within two windows (as Home Assistant rotates its
 * camera tokens). Nothing is stored.
 */
export class PictureTokens {
  readonly #secret = randomBytes(32);
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  sign(entityId: string): string {
    return this.#mac(entityId, Math.floor(this.#now() / PICTURE_TOKEN_WINDOW_MS));
  }

  verify(entityId: string, token: string): boolean {
    const window = Math.floor(this.#now() / PICTURE_TOKEN_WINDOW_MS);
    const given = Buffer.from(token);
    return [window, window - 1].some((w) => {
      const expected = Buffer.from(this.#mac(entityId, w));
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
  }

  /** The URL a device gets: Home Assistant's proxy path on HAsync, with HAsync's token. */
  rewrite(entityId: string, url: string): string {
    const [path = '', query = ''] = url.split('?');
    const params = new URLSearchParams(query);
    params.set('token', this.sign(entityId));
    return `${path}?${params.toString()}`;
  }

  #mac(entityId: string, window: number): string {
    return createHmac('sha256', this.#secret).update(`${entityId}\n${window}`).digest('hex');
  }
}
