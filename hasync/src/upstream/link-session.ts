import type { Connection } from 'home-assistant-js-websocket';
import { HasyncError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { decodeEntitiesEvent } from './entities-decoder.ts';
import type { HomeSink } from './home-sink.ts';
import { fetchHome, RegistryWatcher } from './registry-sync.ts';
import { toHasyncError } from './upstream-errors.ts';

export interface LinkSessionDeps {
  readonly conn: Connection;
  readonly sink: HomeSink;
  readonly log: Logger;
}

/**
 * One authenticated connection to Home Assistant: resyncs the sink, keeps it current, and
 * resolves `lost` (with a reason) when the connection ends. The library's own reconnect is
 * cancelled: the link's loop decides when and how to reconnect.
 */
export class LinkSession {
  readonly connection: Connection;
  readonly lost: Promise<string>;
  readonly #sink: HomeSink;
  readonly #watcher: RegistryWatcher;
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
    this.#watcher = new RegistryWatcher(deps.conn, deps.sink, deps.log, (err) =>
      this.drop(toHasyncError(err).message),
    );
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
    this.#watcher.close();
    // close() marks the connection as closed on purpose, so the library does not reconnect.
    this.connection.close();
    this.#resolveLost('closed');
  }

  /**
   * Registry events first (no change slips between listing and subscribing), then registries,
   * config and services, then `subscribe_entities`: its first event holds every state, and the
   * sink is replaced with the whole snapshot at once. Rejects if lost or late.
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
    await this.#watcher.subscribe();
    const home = await fetchHome(this.connection);
    await new Promise<void>((resolve, reject) => {
      let first = true;
      const onEvent = (event: unknown) => {
        if (this.#closed) return;
        if (first) {
          first = false;
          const { updated } = decodeEntitiesEvent(event, () => undefined);
          this.#sink.replaceAll({ ...home, states: updated });
          resolve();
          return;
        }
        const { updated, removed } = decodeEntitiesEvent(event, (id) => this.#sink.state(id));
        this.#sink.applyStates(updated, removed);
      };
      this.connection
        .subscribeMessage(onEvent, { type: 'subscribe_entities' }, { resubscribe: false })
        .catch(reject);
    });
  }
}
