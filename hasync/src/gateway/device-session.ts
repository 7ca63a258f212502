import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import {
  AUTH_TIMEOUT_MS,
  CLOSE_POLICY,
  CLOSE_TOO_SLOW,
  CLOSE_TRY_AGAIN,
  type DeviceErrorCode,
  MAX_SUBSCRIPTIONS_PER_SOCKET,
  MESSAGE_BURST,
  MESSAGE_RATE_PER_S,
} from '../protocol/device-ws.ts';
import type { TimerHandle, Timers } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { DeviceRecord } from '../storage/device-store.ts';
import { type ParsedFrame, parseAuth, parseCommand, parseText } from './frame-parser.ts';
import { MessageRate } from './message-rate.ts';

/** A socket that has queued more than this for sending cannot keep up and is closed. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** A device that has not answered the last ping by the next one is dropped. */
export const HEARTBEAT_MS = 30_000;
/** A normal close, as Home Assistant's server closes a socket it drops. */
const CLOSE_NORMAL = 1000;
const RATE_MESSAGE =
  `Too many messages: at most ${MESSAGE_RATE_PER_S} per second (bursts of ${MESSAGE_BURST}); ` +
  'this one was dropped, and the connection closes if more follow';
const SUBSCRIBE_TYPES: ReadonlySet<string> = new Set([
  'subscribe_entities',
  'subscribe_events',
  'frontend/subscribe_user_data',
  'persistent_notification/subscribe',
  'history/stream',
  'logbook/event_stream',
]);

export type Subscription =
  | {
      readonly id: number;
      readonly kind: 'entities';
      /** Which entities the subscription wants; undefined: all in scope. */
      readonly filter: ((entityId: string) => boolean) | undefined;
    }
  | { readonly id: number; readonly kind: 'events'; readonly eventType: string }
  /** frontend/subscribe_user_data: the key it follows (undefined: all of them). */
  | { readonly id: number; readonly kind: 'user_data'; readonly key: string | undefined }
  /** A stream HAsync answers itself or forwards upstream; `cancel` ends it (idempotent). */
  | { readonly id: number; readonly kind: 'stream'; readonly cancel: () => void };

/** A session's authentication: its device, a refusal (auth_invalid), or a close code and reason. */
export type AttachOutcome =
  | { readonly device: DeviceRecord }
  | { readonly refused: string }
  | { readonly closed: { readonly code: number; readonly reason: string } };

/** An error as Home Assistant sends it: a code, a message, and its translation fields if any. */
export interface ErrorObject {
  readonly code: DeviceErrorCode | string;
  readonly message: string;
  readonly translation_key?: string | null;
  readonly translation_domain?: string | null;
  readonly translation_placeholders?: Record<string, unknown> | null;
}

/** What a session needs from the gateway that owns it. */
export interface SessionHost {
  /** The authentication timeout and the heartbeat run on these (the server clock's). */
  readonly timers: Timers;
  /** The server clock (epoch ms), for the message rate limit. */
  now(): number;
  haVersion(): string;
  /**
   * Binds the session to the device holding `token`; returns a refusal message otherwise, or the
   * close code and reason of a valid token that may not be used now (end date, schedule).
   */
  attach(session: DeviceSession, token: string): AttachOutcome;
  detach(session: DeviceSession): void;
  run(session: DeviceSession, frame: Extract<ParsedFrame, { kind: 'command' }>): Promise<void>;
}

let nextSessionNumber = 1;

/**
 * One device socket: the auth phase, frame parsing in Home Assistant's order, ordered replies,
 * subscriptions, coalescing, heartbeat, and the bounded send buffer. What commands do is the
 * gateway's business.
 */
export class DeviceSession {
  readonly name = `session-${nextSessionNumber++}`;
  readonly subscriptions = new Map<number, Subscription>();
  readonly openedAt = Date.now();
  deviceId: string | undefined;
  /** Set by `supported_features` with `coalesce_messages`: batches go out as one JSON array. */
  coalesce = false;
  /**
   * Set once the client asked for `lovelace/config`: Home Assistant's frontend, which builds its
   * generated dashboard only on (re)connect, so a scope change reaches it by a reconnect.
   */
  showsGeneratedDashboard = false;
  #log: Logger;
  readonly #ws: WebSocket;
  readonly #host: SessionHost;
  #lastId = 0;
  #authTimer: TimerHandle | undefined;
  #heartbeat: TimerHandle | undefined;
  #alive = true;
  #queue: Promise<void> = Promise.resolve();
  readonly #rate: MessageRate;
  /** Set by close(): nothing the socket still sends, nor anything queued, is handled any more. */
  #closing = false;

  constructor(ws: WebSocket, host: SessionHost, log: Logger) {
    this.#ws = ws;
    this.#host = host;
    this.#rate = new MessageRate(MESSAGE_RATE_PER_S, MESSAGE_BURST, () => host.now());
    this.#log = log.child({ session: this.name });
  }

  get log(): Logger {
    return this.#log;
  }

  /** Sends auth_required and starts listening. */
  open(): void {
    this.#ws.on('message', (data, isBinary) => this.#onMessage(data.toString(), isBinary));
    this.#ws.on('close', () => this.#onClose());
    this.#ws.on('error', (err) => this.#log.warn({ err }, 'device socket error'));
    this.#ws.on('pong', () => {
      this.#alive = true;
    });
    this.#authTimer = this.#host.timers.after(AUTH_TIMEOUT_MS, () =>
      this.close(CLOSE_POLICY, 'authentication timed out'),
    );
    this.sendJson({ type: 'auth_required', ha_version: this.#host.haVersion() });
  }

  /** False once the socket is closing or closed: nothing more reaches the device. */
  get connected(): boolean {
    return !this.#closing && this.#ws.readyState === this.#ws.OPEN;
  }

  get authenticated(): boolean {
    return this.deviceId !== undefined;
  }

  sendJson(message: unknown): void {
    this.send(JSON.stringify(message));
  }

  /** Sends a serialized frame; a socket whose buffer overflows is closed so it can resync. */
  send(frame: string): void {
    if (this.#ws.readyState !== this.#ws.OPEN) return;
    this.#ws.send(frame);
    if (this.#ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.#log.warn({ buffered: this.#ws.bufferedAmount }, 'device cannot keep up; closing');
      this.close(CLOSE_TOO_SLOW, 'too slow: reconnect to resync');
    }
  }

  /**
   * Sends messages produced together: one JSON array when the client asked for coalescing, as
   * Home Assistant's writer joins its queue. HA: websocket_api/http.py WebSocketHandler._writer
   */
  sendFrames(frames: readonly string[]): void {
    if (frames.length === 0) return;
    if (frames.length === 1 || !this.coalesce) {
      // Corked, the frames leave in one write: uncorked, each is a system call of its own, which
      // at a thousand sockets and hundreds of changes a second is most of the server's time.
      const socket = tcpSocketOf(this.#ws);
      socket?.cork();
      try {
        for (const frame of frames) this.send(frame);
      } finally {
        socket?.uncork();
      }
      return;
    }
    this.send(`[${frames.join(',')}]`);
  }

  result(id: number, result: unknown): void {
    this.send(
      `{"id":${id},"type":"result","success":true,"result":${JSON.stringify(result ?? null)}}`,
    );
  }

  error(id: unknown, code: DeviceErrorCode, message: string): void {
    this.errorObject(id, { code, message });
  }

  /** A failed result carrying Home Assistant's error object (code, message, translation fields). */
  errorObject(id: unknown, error: ErrorObject): void {
    this.sendJson({ id, type: 'result', success: false, error });
  }

  /** Closes with a code; a peer that never answers the close handshake is cut off after 1 s. */
  close(code: number, reason: string): void {
    this.#closing = true;
    if (this.#ws.readyState === this.#ws.CLOSED) return;
    this.#ws.close(code, reason);
    setTimeout(() => this.#ws.terminate(), 1000).unref();
  }

  #onMessage(text: string, isBinary: boolean): void {
    if (this.#closing) return;
    if (isBinary) {
      this.#disconnect('Received non-Text message.');
      return;
    }
    const parsed = parseText(text);
    if (parsed.kind === 'disconnect') {
      this.#disconnect(parsed.reason);
      return;
    }
    if (!this.authenticated) {
      const frame = parseAuth(parsed.value);
      if (frame.kind === 'auth') this.#authenticate(frame.token);
      else if (frame.kind === 'invalid') this.#refuse(frame.message);
      return;
    }
    const items = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
    for (const item of items) {
      // Every message counts, so a JSON array cannot carry more than one.
      const verdict = this.#rate.take();
      if (verdict === 'close') {
        this.#log.warn('device kept sending over the message rate limit; closing');
        this.close(CLOSE_POLICY, 'message rate limit exceeded');
        return;
      }
      if (verdict === 'warn') {
        this.#log.warn({ rate_per_s: MESSAGE_RATE_PER_S }, 'device over the message rate limit');
        // At once, not behind the queued commands: the client must learn now to slow down.
        this.error(idOf(item), 'rate_limited', RATE_MESSAGE);
        continue;
      }
      this.#onCommand(parseCommand(item, this.#lastId));
    }
  }

  #onCommand(frame: ParsedFrame): void {
    if (frame.kind === 'command') {
      this.#lastId = frame.id;
      this.#enqueue(frame);
      return;
    }
    if (frame.kind !== 'invalid') return;
    if (frame.handled && typeof frame.id === 'number') this.#lastId = frame.id;
    this.#log.warn({ code: frame.code }, 'invalid device frame');
    this.#replyInTurn(frame.id, frame.code, frame.message);
  }

  /** An error behind the commands before it, so replies keep the order of the messages (as HA's). */
  #replyInTurn(id: unknown, code: DeviceErrorCode, message: string): void {
    this.#queue = this.#queue
      .then(() => this.error(id, code, message))
      .catch((err: unknown) => this.#log.error({ err }, 'error reply failed'));
  }

  /** Commands run one after another so replies keep the order of requests. */
  #enqueue(frame: Extract<ParsedFrame, { kind: 'command' }>): void {
    this.#queue = this.#queue
      .then(() => this.#runQueued(frame))
      .catch((err: unknown) => {
        this.#log.error({ err, command: frame.type }, 'command failed');
        this.error(frame.id, 'unknown_error', 'Unknown error');
      });
  }

  /** A queued command, unless the socket is closing or the command would pass a limit. */
  async #runQueued(frame: Extract<ParsedFrame, { kind: 'command' }>): Promise<void> {
    if (this.#closing) return;
    if (
      SUBSCRIBE_TYPES.has(frame.type) &&
      this.subscriptions.size >= MAX_SUBSCRIPTIONS_PER_SOCKET
    ) {
      this.#log.warn({ limit: MAX_SUBSCRIPTIONS_PER_SOCKET }, 'subscription limit reached');
      // HA: websocket_api/const.py ERR_NOT_ALLOWED, the code Home Assistant uses for a refusal.
      this.error(
        frame.id,
        'not_allowed',
        `At most ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions per connection; unsubscribe first`,
      );
      return;
    }
    await this.#host.run(this, frame);
  }

  #authenticate(token: string): void {
    let outcome: ReturnType<SessionHost['attach']>;
    try {
      outcome = this.#host.attach(this, token);
    } catch (err) {
      // Not the token's fault (storage, most likely): never auth_invalid, which makes clients
      // forget their token; come back later instead.
      this.#log.error({ err }, 'could not check the device token');
      this.close(CLOSE_TRY_AGAIN, 'try again later');
      return;
    }
    if ('refused' in outcome) {
      this.#refuse(outcome.refused);
      return;
    }
    if ('closed' in outcome) {
      this.#log.info({ code: outcome.closed.code }, 'device may not connect now');
      this.close(outcome.closed.code, outcome.closed.reason);
      return;
    }
    this.#authTimer?.cancel();
    this.deviceId = outcome.device.id;
    this.#log = this.#log.child({ device_id: outcome.device.id });
    this.#heartbeat = this.#host.timers.every(HEARTBEAT_MS, () => this.#beat());
    this.sendJson({ type: 'auth_ok', ha_version: this.#host.haVersion() });
  }

  #refuse(message: string): void {
    this.#log.warn({ reason: message }, 'device authentication refused');
    this.sendJson({ type: 'auth_invalid', message });
    // HA: websocket_api/http.py — the socket is closed normally after auth_invalid.
    this.close(CLOSE_NORMAL, '');
  }

  #disconnect(reason: string): void {
    this.#log.warn({ reason }, 'dropping device socket');
    this.close(CLOSE_NORMAL, reason);
  }

  #beat(): void {
    if (!this.#alive) {
      this.#log.warn('device stopped answering pings; dropping it');
      this.#ws.terminate();
      return;
    }
    this.#alive = false;
    this.#ws.ping();
  }

  #onClose(): void {
    this.#authTimer?.cancel();
    this.#heartbeat?.cancel();
    for (const sub of this.subscriptions.values()) if (sub.kind === 'stream') sub.cancel();
    this.subscriptions.clear();
    if (this.authenticated) this.#host.detach(this);
  }
}

/** The TCP socket under a `ws` WebSocket (ws keeps it as `_socket`; undefined before it opens). */
function tcpSocketOf(ws: WebSocket): Duplex | undefined {
  return (ws as WebSocket & { _socket?: Duplex | null })._socket ?? undefined;
}

/** The id a message carried, echoed in a reply as Home Assistant echoes it (0 for a non-object). */
function idOf(item: unknown): unknown {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return 0;
  return (item as { id?: unknown }).id ?? null;
}
