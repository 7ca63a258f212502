import type { TimerHandle, Timers } from '../../src/shared/clock.ts';

interface Pending {
  at: number;
  readonly every: number | undefined;
  readonly fn: () => void;
  cancelled: boolean;
}

/**
 * Timers that run only when the test moves time on (`tick`), for the timeouts a test must not
 * wait out for real. Only the code given these timers is affected; sockets and the test's own
 * waits keep Node's.
 */
export class ManualTimers implements Timers {
  #now = 0;
  readonly #pending: Pending[] = [];

  after(ms: number, fn: () => void): TimerHandle {
    return this.#add(ms, undefined, fn);
  }

  every(ms: number, fn: () => void): TimerHandle {
    return this.#add(ms, ms, fn);
  }

  /** Timers not yet fired nor cancelled. */
  get pending(): number {
    return this.#pending.filter((p) => !p.cancelled).length;
  }

  /** Moves time on by `ms`, running every timer that falls due, in order. */
  tick(ms: number): void {
    const until = this.#now + ms;
    for (;;) {
      const due = this.#pending
        .filter((p) => !p.cancelled && p.at <= until)
        .sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.#now = due.at;
      if (due.every === undefined) due.cancelled = true;
      else due.at += due.every;
      due.fn();
    }
    this.#now = until;
  }

  #add(ms: number, every: number | undefined, fn: () => void): TimerHandle {
    const entry: Pending = { at: this.#now + ms, every, fn, cancelled: false };
    this.#pending.push(entry);
    return {
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }
}
