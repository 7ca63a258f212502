/** A scheduled callback; `cancel` stops it (idempotent). */
export interface TimerHandle {
  cancel(): void;
}

/** Timers, injected with the clock so tests can run a timeout without waiting it out. */
export interface Timers {
  /** Runs `fn` once after `ms`. */
  after(ms: number, fn: () => void): TimerHandle;
  /** Runs `fn` every `ms` until cancelled. */
  every(ms: number, fn: () => void): TimerHandle;
}

/** Time source, injected so tests can control TTLs and backoff. */
export interface Clock {
  now(): number;
  /** The timers that go with this clock; Node's own when absent (timersOf). */
  readonly timers?: Timers;
}

/** Node's timers; they never keep the process alive by themselves (stop() cancels them). */
export const nodeTimers: Timers = {
  after(ms, fn) {
    const timer = setTimeout(fn, ms).unref();
    return { cancel: () => clearTimeout(timer) };
  },
  every(ms, fn) {
    const timer = setInterval(fn, ms).unref();
    return { cancel: () => clearInterval(timer) };
  },
};

export const systemClock: Clock = { now: () => Date.now(), timers: nodeTimers };

/** The clock's timers, or Node's. */
export function timersOf(clock: Clock): Timers {
  return clock.timers ?? nodeTimers;
}
