/** Time source, injected so tests can control TTLs and backoff. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
