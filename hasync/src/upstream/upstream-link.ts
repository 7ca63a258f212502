import {
  type Connection,
  callService,
  createConnection,
  createLongLivedTokenAuth,
  type HassServiceTarget,
} from 'home-assistant-js-websocket';
import { Backoff, type BackoffPolicy, sleep } from '../shared/backoff.ts';
import type { EventBus } from '../shared/bus.ts';
import { errorMessage, HasyncError, UnrecoverableError } from '../shared/errors.ts';
import type { HasyncEvents } from '../shared/events.ts';
import type { Logger } from '../shared/logger.ts';
import type { Module } from '../shared/module.ts';
import { openSocket } from './auth-handshake.ts';
import { DEFAULT_HEARTBEAT, type HeartbeatTimings } from './heartbeat.ts';
import type { HomeSink } from './home-sink.ts';
import { LinkSession } from './link-session.ts';
import type { HomeAssistantState, LinkStatus, LinkStatusSource } from './link-state.ts';
import { DEFAULT_RELIST_DELAYS, type RelistDelays } from './registry-watcher.ts';
import type { UpstreamCommands, UpstreamMessage } from './upstream-commands.ts';
import { toHasyncError } from './upstream-errors.ts';

/** Retry delays after a lost or failed connection. */
export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1000, maxMs: 30_000 };
/** A rejected token will not fix itself quickly: retry slowly. */
export const AUTH_RETRY_MS = 60_000;
/** Whole connect + auth + resync must finish within this. */
export const CONNECT_TIMEOUT_MS = 15_000;
/** How long start() waits for the first attempt before letting the server come up regardless. */
export const FIRST_SYNC_WAIT_MS = 3000;

export interface UpstreamLinkDeps {
  readonly log: Logger;
  readonly bus: EventBus<HasyncEvents>;
  readonly sink: HomeSink;
  /**
   * Home Assistant's base URL (http/https/ws/wss; the client adds /api/websocket), or a function
   * giving it at connect time (the in-process demo home learns its port only when started).
   */
  readonly url: string | (() => string);
  readonly token: string;
  /** Report `demo` instead of `connected` (the in-process demo home). */
  readonly demo?: boolean;
  readonly backoff?: BackoffPolicy;
  readonly authRetryMs?: number;
  readonly connectTimeoutMs?: number;
  readonly firstSyncWaitMs?: number;
  /** Ping timings (tests shorten them). */
  readonly heartbeat?: HeartbeatTimings;
  /** Delays before relisting after a change event (tests shorten them). */
  readonly relistDelays?: RelistDelays;
}

/**
 * HAsync's link to Home Assistant, over home-assistant-js-websocket. Each connection subscribes
 * to `state_changed` and the other allowlisted events, lists registries, config, services and
 * `get_states`, and replaces the cache, which emits only the differences; then every state_changed
 * is one change in the cache and every other event is relayed on the bus as `upstream_event`.
 * Home Assistant is pinged; a missing pong drops the connection. The library's own reconnect is
 * switched off in favour of one loop with capped exponential backoff that stop() can abort, and a
 * slow retry for a rejected token. The bus hears `upstream` `disconnected` as soon as a connection
 * is lost or an attempt fails, and `connected` once a resync is complete.
 */
export class UpstreamLink implements Module, LinkStatusSource, UpstreamCommands {
  readonly name = 'upstream';
  readonly #deps: UpstreamLinkDeps;
  readonly #log: Logger;
  #state: HomeAssistantState = 'disconnected';
  #haVersion: string | undefined;
  #lastError: string | undefined;
  #abort: AbortController | undefined;
  #loop: Promise<void> | undefined;
  #session: LinkSession | undefined;
  #firstAttempt: (() => void) | undefined;
  #lastWarned: string | undefined;

  constructor(deps: UpstreamLinkDeps) {
    this.#deps = deps;
    this.#log = deps.log.child({ module: 'upstream' });
  }

  async start(): Promise<void> {
    const abort = new AbortController();
    this.#abort = abort;
    const first = new Promise<void>((resolve) => {
      this.#firstAttempt = resolve;
    });
    this.#loop = this.#run(abort.signal);
    const wait = new AbortController();
    await Promise.race([
      first,
      sleep(this.#deps.firstSyncWaitMs ?? FIRST_SYNC_WAIT_MS, wait.signal),
    ]);
    wait.abort();
  }

  async stop(): Promise<void> {
    this.#abort?.abort();
    this.#session?.close();
    await this.#loop;
    this.#loop = undefined;
    this.#setState('disconnected');
  }

  status(): LinkStatus {
    return { state: this.#state, haVersion: this.#haVersion, lastError: this.#lastError };
  }

  /**
   * Calls a Home Assistant service and returns Home Assistant's result unchanged (`{context,
   * response}`); with `returnResponse`, `return_response: true` is sent and `response` carries the
   * service's answer. There is no timeout: Home Assistant answers when the service is done (a
   * script may run for minutes), and the call fails only if the connection is lost. Throws
   * HasyncError: `unavailable` when not connected or lost, else Home Assistant's own error code
   * with its message and translation fields in `details` (see upstream-errors.ts).
   */
  async callService(
    domain: string,
    service: string,
    serviceData?: Record<string, unknown>,
    target?: HassServiceTarget,
    returnResponse?: boolean,
  ): Promise<unknown> {
    const conn = this.#session?.connection;
    if (!conn?.connected) throw new HasyncError('unavailable', 'Home Assistant is not connected');
    try {
      // HA: homeassistant/components/websocket_api/commands.py handle_call_service (return_response)
      return await callService(
        conn,
        domain,
        service,
        serviceData,
        target,
        returnResponse || undefined,
      );
    } catch (err) {
      throw toHasyncError(err);
    }
  }

  async command<T = unknown>(message: UpstreamMessage): Promise<T> {
    const conn = this.#connected();
    try {
      return await conn.sendMessagePromise<T>(message);
    } catch (err) {
      throw toHasyncError(err);
    }
  }

  async subscribe(
    message: UpstreamMessage,
    onEvent: (event: unknown) => void,
  ): Promise<() => Promise<void>> {
    const conn = this.#connected();
    try {
      // A lost connection closes every device socket, so the subscription is never renewed.
      return await conn.subscribeMessage(onEvent, message, { resubscribe: false });
    } catch (err) {
      throw toHasyncError(err);
    }
  }

  #connected() {
    const conn = this.#session?.connection;
    if (!conn?.connected) throw new HasyncError('unavailable', 'Home Assistant is not connected');
    return conn;
  }

  /**
   * A GET on Home Assistant's HTTP API with HAsync's own token (the image proxies use it); the
   * response is Home Assistant's, status and body untouched.
   */
  fetchHttp(path: string, signal?: AbortSignal): Promise<Response> {
    const base = this.#url().replace(/^ws/, 'http');
    return fetch(`${base}${path}`, {
      headers: { authorization: `Bearer ${this.#deps.token}` },
      ...(signal ? { signal } : {}),
    });
  }

  async #run(signal: AbortSignal): Promise<void> {
    const backoff = new Backoff(this.#deps.backoff ?? DEFAULT_BACKOFF);
    while (!signal.aborted) {
      let delayMs: number;
      try {
        const reason = await this.#connectAndServe(signal, backoff);
        if (signal.aborted) break;
        delayMs = backoff.next();
        this.#failed(`lost connection: ${reason}`, delayMs, 'warn');
      } catch (err) {
        if (signal.aborted) break;
        const unrecoverable = err instanceof UnrecoverableError;
        delayMs = unrecoverable ? (this.#deps.authRetryMs ?? AUTH_RETRY_MS) : backoff.next();
        this.#failed(errorMessage(err), delayMs, unrecoverable ? 'error' : 'warn');
      }
      this.#firstAttempt?.();
      await sleep(delayMs, signal);
    }
    this.#firstAttempt?.();
  }

  /** One connection: open, resync, then serve until lost. Returns why it was lost. */
  async #connectAndServe(signal: AbortSignal, backoff: Backoff): Promise<string> {
    this.#setState('connecting');
    const conn = await this.#open(signal);
    const session = new LinkSession({
      conn,
      sink: this.#deps.sink,
      log: this.#log,
      relay: (event) => this.#deps.bus.emit('upstream_event', { event }),
      relistDelays: this.#deps.relistDelays ?? DEFAULT_RELIST_DELAYS,
      heartbeat: this.#deps.heartbeat ?? DEFAULT_HEARTBEAT,
    });
    this.#session = session;
    try {
      if (signal.aborted) return 'stopped';
      await session.resync(this.#deps.connectTimeoutMs ?? CONNECT_TIMEOUT_MS);
      backoff.reset();
      this.#haVersion = conn.haVersion;
      this.#setState(this.#deps.demo ? 'demo' : 'connected');
      this.#lastWarned = undefined;
      this.#log.info(
        { ha_version: conn.haVersion, url: this.#url() },
        'connected to Home Assistant',
      );
      this.#firstAttempt?.();
      return await session.lost;
    } finally {
      session.close();
      if (this.#session === session) this.#session = undefined;
    }
  }

  #open(signal: AbortSignal): Promise<Connection> {
    const auth = createLongLivedTokenAuth(this.#url(), this.#deps.token);
    const socketOptions = {
      wsUrl: auth.wsUrl,
      token: this.#deps.token,
      timeoutMs: this.#deps.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
      signal,
      onMalformed: (err: unknown) => this.#malformed(err),
    };
    return createConnection({ auth, createSocket: () => openSocket(socketOptions) });
  }

  #malformed(err: unknown): void {
    const reason = `malformed frame from Home Assistant (${errorMessage(err)})`;
    this.#lastError = reason;
    this.#session?.markMalformed(reason);
    this.#log.warn({ reason }, 'malformed frame from Home Assistant; resetting the connection');
  }

  #failed(reason: string, retryMs: number, level: 'warn' | 'error'): void {
    this.#lastError = reason;
    this.#setState('disconnected', reason);
    const retry_s = Math.round(retryMs / 100) / 10;
    if (level === 'error') {
      this.#log.error(
        { url: this.#url(), retry_s },
        `${reason}: check the access token (HASYNC_HA_TOKEN, or the app's SUPERVISOR_TOKEN); retrying in ${retry_s} s`,
      );
    } else {
      // The same failure again (Home Assistant down for a while) is not worth a warning each time.
      const level = reason === this.#lastWarned ? 'debug' : 'warn';
      this.#log[level](
        { url: this.#url(), retry_s },
        `Home Assistant: ${reason}; retrying in ${retry_s} s`,
      );
    }
    this.#lastWarned = reason;
  }

  #url(): string {
    const { url } = this.#deps;
    // The client appends /api/websocket; a trailing slash would double it.
    return (typeof url === 'function' ? url() : url).replace(/\/+$/, '');
  }

  #setState(state: HomeAssistantState, error?: string): void {
    if (state === this.#state && error === undefined) return;
    this.#state = state;
    this.#deps.bus.emit('upstream', error === undefined ? { state } : { state, error });
  }
}
