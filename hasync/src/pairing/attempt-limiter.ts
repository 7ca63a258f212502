import type { Clock } from '../shared/clock.ts';

/** Limiter tuning: at most `max` attempts per key within any `windowMs`. */
export interface AttemptLimit {
  readonly max: number;
  readonly windowMs: number;
}

export type AttemptResult =
  | { readonly allowed: true }
  | { readonly allowed: false; retryAfterS: number };

/** Above this many tracked keys, stale ones are swept on the next attempt. */
const SWEEP_ABOVE_KEYS = 1000;

/**
 * A sliding-window attempt counter per key (a client: see clientKey). It reads the injected clock,
 * so tests can move time, and forgets keys whose attempts have all left the window.
 */
export class AttemptLimiter {
  readonly #limit: AttemptLimit;
  readonly #clock: Clock;
  readonly #attempts = new Map<string, number[]>();

  constructor(limit: AttemptLimit, clock: Clock) {
    this.#limit = limit;
    this.#clock = clock;
  }

  /** Records one attempt by `key`, or refuses it with the seconds until one is allowed again. */
  take(key: string): AttemptResult {
    const result = this.check(key);
    if (result.allowed) this.record(key);
    return result;
  }

  /** Whether `key` may make an attempt now, without counting one. */
  check(key: string): AttemptResult {
    const now = this.#clock.now();
    const recent = this.#recent(key, now);
    if (recent.length < this.#limit.max) return { allowed: true };
    const oldest = recent[0] ?? now;
    const waitMs = oldest + this.#limit.windowMs - now;
    return { allowed: false, retryAfterS: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  /** Counts one attempt by `key` (for limits that count only failures). */
  record(key: string): void {
    const now = this.#clock.now();
    if (this.#attempts.size > SWEEP_ABOVE_KEYS) this.#sweep(now);
    const recent = this.#recent(key, now);
    recent.push(now);
    this.#attempts.set(key, recent);
  }

  #recent(key: string, now: number): number[] {
    const since = now - this.#limit.windowMs;
    return (this.#attempts.get(key) ?? []).filter((at) => at > since);
  }

  #sweep(now: number): void {
    for (const key of [...this.#attempts.keys()]) {
      if (this.#recent(key, now).length === 0) this.#attempts.delete(key);
    }
  }
}
