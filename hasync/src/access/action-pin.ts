import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../shared/clock.ts';

/**
 * A device's action PIN (design §5b): 4–8 digits an admin sets, stored only as a salted scrypt
 * hash, asked for (`code` in service_data) before calls on the device's `pin_domains`, checked
 * here and never forwarded to Home Assistant. Wrong codes are limited per device.
 */

export const ACTION_PIN_PATTERN = '^[0-9]{4,8}$';
/** Wrong codes a device may try per window before its calls are refused without a check. */
export const WRONG_CODES_PER_WINDOW = 5;
export const WRONG_CODE_WINDOW_MS = 60_000;

const SALT_BYTES = 16;
const KEY_BYTES = 32;
const SCRYPT_COST = 16_384;
const PREFIX = 'scrypt';

function derive(pin: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, KEY_BYTES, { N: SCRYPT_COST }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** `scrypt$<salt>$<key>` (base64url) for a new random salt; an admin sets a PIN rarely. */
export function hashActionPin(pin: string): string {
  const salt = randomBytes(SALT_BYTES);
  const key = scryptSync(pin, salt, KEY_BYTES, { N: SCRYPT_COST });
  return `${PREFIX}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Whether `pin` matches a stored hash, compared in constant time; a malformed hash never does. */
export async function actionPinMatches(stored: string, pin: string): Promise<boolean> {
  const [prefix, salt, key] = stored.split('$');
  if (prefix !== PREFIX || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(pin, Buffer.from(salt, 'base64url'));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** What a call's `code` came to: accepted, or why not. */
export type CodeVerdict = 'ok' | 'missing' | 'wrong' | 'limited';

/** The words a device gets back for each refused code. */
export const CODE_REFUSALS: Readonly<Record<Exclude<CodeVerdict, 'ok'>, string>> = {
  missing: 'code required',
  wrong: 'wrong code',
  limited: `wrong code too often: at most ${WRONG_CODES_PER_WINDOW} per minute`,
};

/** Checks a device's offered code; the one place that reads an action PIN's hash. */
export interface ActionPinCheck {
  check(deviceId: string, code: unknown): Promise<CodeVerdict>;
}

export interface ActionPinsDeps {
  readonly clock: Clock;
  /** The stored hash of a device's action PIN, if it has one. */
  hashOf(deviceId: string): string | undefined;
}

/** Checks codes against the stored hash, at most `WRONG_CODES_PER_WINDOW` wrong ones a minute. */
export class ActionPins implements ActionPinCheck {
  readonly #deps: ActionPinsDeps;
  /** Per device, the times of its recent wrong codes (epoch ms). */
  readonly #wrong = new Map<string, number[]>();

  constructor(deps: ActionPinsDeps) {
    this.#deps = deps;
  }

  async check(deviceId: string, code: unknown): Promise<CodeVerdict> {
    const now = this.#deps.clock.now();
    const recent = (this.#wrong.get(deviceId) ?? []).filter(
      (at) => now - at < WRONG_CODE_WINDOW_MS,
    );
    if (recent.length >= WRONG_CODES_PER_WINDOW) return 'limited';
    if (code === undefined || code === null || code === '') return 'missing';
    const hash = this.#deps.hashOf(deviceId);
    const pin = typeof code === 'number' ? String(code) : code;
    if (hash !== undefined && typeof pin === 'string' && (await actionPinMatches(hash, pin))) {
      this.#wrong.delete(deviceId);
      return 'ok';
    }
    recent.push(now);
    this.#wrong.set(deviceId, recent);
    return 'wrong';
  }
}
