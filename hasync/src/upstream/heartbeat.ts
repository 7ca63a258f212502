import type { Connection } from 'home-assistant-js-websocket';

export interface HeartbeatTimings {
  /** Time between pings. */
  readonly intervalMs: number;
  /** A ping not answered within this means the link is dead. */
  readonly timeoutMs: number;
}

/**
 * 20 s between pings and 20 s for the pong: a link that dies right after a pong is noticed after
 * at most 40 s, within the 60 s the design promises. Home Assistant answers `ping` at once even
 * while it runs long service calls for the same connection (each command is its own task).
 */
export const DEFAULT_HEARTBEAT: HeartbeatTimings = { intervalMs: 20_000, timeoutMs: 20_000 };

/**
 * Pings Home Assistant (`{"type":"ping"}`) on one connection. A TCP link can die without either
 * side seeing a close (a pulled cable, a suspended VM); then no pong comes and `onDead` is called
 * once, so the link drops the connection and reconnects.
 */
export class Heartbeat {
  readonly #conn: Connection;
  readonly #timings: HeartbeatTimings;
  readonly #onDead: (reason: string) => void;
  #interval: NodeJS.Timeout | undefined;
  #deadline: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(conn: Connection, timings: HeartbeatTimings, onDead: (reason: string) => void) {
    this.#conn = conn;
    this.#timings = timings;
    this.#onDead = onDead;
  }

  start(): void {
    this.#interval = setInterval(() => this.#ping(), this.#timings.intervalMs);
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#interval);
    clearTimeout(this.#deadline);
  }

  #ping(): void {
    if (this.#deadline || this.#stopped) return;
    const { timeoutMs } = this.#timings;
    this.#deadline = setTimeout(() => {
      this.stop();
      this.#onDead(`no pong from Home Assistant within ${timeoutMs} ms`);
    }, timeoutMs);
    // A rejected ping means the connection closed; the session notices that by itself.
    this.#conn.ping().then(
      () => this.#answered(),
      () => this.#answered(),
    );
  }

  #answered(): void {
    clearTimeout(this.#deadline);
    this.#deadline = undefined;
  }
}
