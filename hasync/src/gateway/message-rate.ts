/** What the rate limit says about one inbound message. */
export type RateVerdict =
  /** Within the limit: handle it. */
  | 'ok'
  /** The first message over the limit: drop it and tell the client once. */
  | 'warn'
  /** Over the limit again after the warning: the client keeps going, close the socket. */
  | 'close';

/**
 * A token bucket of inbound messages for one socket: `burst` tokens, refilled at `ratePerS`.
 * A client that goes over the limit is warned once; if it sends another message over the limit
 * before the bucket has filled up again (it did not slow down), it is to be closed.
 */
export class MessageRate {
  readonly #ratePerS: number;
  readonly #burst: number;
  readonly #now: () => number;
  #tokens: number;
  #refilledAt: number;
  #warned = false;

  constructor(
    ratePerS: number,
    burst: number,
    now: () => number = performance.now.bind(performance),
  ) {
    this.#ratePerS = ratePerS;
    this.#burst = burst;
    this.#now = now;
    this.#tokens = burst;
    this.#refilledAt = now();
  }

  /** Takes one token for a message. */
  take(): RateVerdict {
    this.#refill();
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 'ok';
    }
    if (this.#warned) return 'close';
    this.#warned = true;
    return 'warn';
  }

  #refill(): void {
    const now = this.#now();
    // A wall clock set back refills nothing (and takes nothing away).
    const elapsedS = Math.max(0, now - this.#refilledAt) / 1000;
    this.#refilledAt = now;
    this.#tokens = Math.min(this.#burst, this.#tokens + elapsedS * this.#ratePerS);
    // A client that paused long enough to fill the bucket has slowed down: forgive the warning.
    if (this.#tokens >= this.#burst) this.#warned = false;
  }
}
