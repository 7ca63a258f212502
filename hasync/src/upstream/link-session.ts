import type { Connection } from 'home-assistant-js-websocket';
import type { HassEvent } from '../protocol/home-assistant.ts';
import { HasyncError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { Heartbeat, type HeartbeatTimings } from './heartbeat.ts';
import type { HomeSink } from './home-sink.ts';
import { fetchHome } from './listings.ts';
import { RegistryWatcher, type RelistDelays } from './registry-watcher.ts';
import { StateStream } from './state-stream.ts';
import { toHasyncError } from './upstream-errors.ts';

export interface LinkSessionDeps {
  readonly conn: Connection;
  readonly sink: HomeSink;
  readonly log: Logger;
  readonly relay: (event: HassEvent) => void;
  readonly relistDelays: RelistDelays;
  readonly heartbeat: HeartbeatTimings;
}

/**
 * One authenticated connection to Home Assistant: resyncs the sink, keeps it current, pings, and
 * resolves `lost` (with a reason) when the connection ends. The library's own reconnect is
 * cancelled: the link's loop decides when and how to reconnect.
 */
export class LinkSession {
  readonly connection: Connection;
  readonly lost: Promise<string>;
  readonly #sink: HomeSink;
  readonly #watcher: RegistryWatcher;
  readonly #states: StateStream;
  readonly #heartbeat: Heartbeat;
  #resolveLost: (reason: string) => void = () => {};
  #reason = 'connection lost';
  #closed = false;

  constructor(deps: LinkSessionDeps) {
    this.connection = deps.conn;
    this.#sink = deps.sink;
    this.lost = new Promise((resolve) => {
      this.#resolveLost = resolve;
    });
    deps.conn.addEventListener('disconnected', () => this.drop(this.#reason));
    this.#watcher = new RegistryWatcher({
      conn: deps.conn,
      sink: deps.sink,
      log: deps.log,
      delays: deps.relistDelays,
      relay: deps.relay,
      onFailure: (err) => this.drop(toHasyncError(err).message),
    });
    this.#states = new StateStream(deps.conn, deps.sink);
    this.#heartbeat = new Heartbeat(deps.conn, deps.heartbeat, (reason) => this.drop(reason));
  }

  /** The reason a following disconnect will report (a malformed frame caused it). */
  markMalformed(reason: string): void {
    this.#reason = reason;
  }

  /** Ends the connection (idempotent); `lost` resolves with the reason. */
  drop(reason: string): void {
    this.#resolveLost(reason);
    this.close();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#heartbeat.stop();
    this.#watcher.close();
    this.#states.close();
    // close() marks the connection as closed on purpose, so the library does not reconnect.
    this.connection.close();
    this.#resolveLost('closed');
  }

  /**
   * Subscriptions first (no change slips between listing and subscribing), then registries,
   * config, services and `get_states`; the sink is replaced with the whole snapshot at once, then
   * follows events. Rejects if lost or late.
   */
  async resync(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new HasyncError('timeout', `no full sync within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    const lost = this.lost.then((reason) => {
      throw new HasyncError('connection_lost', reason);
    });
    try {
      await Promise.race([this.#resync(), late, lost]);
    } catch (err) {
      this.drop('resync failed');
      throw toHasyncError(err);
    } finally {
      clearTimeout(timer);
      lost.catch(() => {});
    }
  }

  async #resync(): Promise<void> {
    await Promise.all([this.#watcher.subscribe(), this.#states.subscribe()]);
    const [home, states] = await Promise.all([
      fetchHome(this.connection),
      this.#states.fetchStates(),
    ]);
    if (this.#closed) return;
    this.#sink.replaceAll({ ...home, states });
    this.#states.goLive(states);
    this.#watcher.ready();
    this.#heartbeat.start();
  }
}
