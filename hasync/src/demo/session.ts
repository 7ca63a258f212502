import type { WebSocket } from 'ws';
import { AUTH_MESSAGE_SCHEMA } from '../protocol/ha-command-schemas.ts';
import { humanizeError, Invalid } from '../protocol/voluptuous/vol.ts';
import type { Logger } from '../shared/logger.ts';
import { type CommandContext, REPLIED, runCommand, type SessionHost } from './commands.ts';
import { errorFrame, toWireError } from './ha-error.ts';
import type { Subscriber } from './publisher.ts';
import type { DemoUser } from './users.ts';

/** Home Assistant closes a connection that has not authenticated within 10 s. */
export const AUTH_TIMEOUT_MS = 10_000;

/** Unsent bytes a client may fall behind by before it is dropped. */
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/**
 * One client connection to the demo home, framed as websocket_api/http.py frames it: every
 * outgoing message is queued and a writer sends what queued up in one turn — joined into one JSON
 * array once the client announced `coalesce_messages`; a client JSON array is handled message by
 * message; invalid JSON or a binary frame ends the connection.
 */
export class DemoSession implements Subscriber {
  /** connection.py `can_coalesce`. */
  coalesce = false;
  readonly #ws: WebSocket;
  readonly #host: SessionHost;
  readonly #log: Logger;
  #user: DemoUser | undefined;
  #lastId = 0;
  #authTimer: NodeJS.Timeout | undefined;
  #queue: string[] = [];
  #writer: NodeJS.Immediate | undefined;

  constructor(ws: WebSocket, host: SessionHost, log: Logger) {
    this.#ws = ws;
    this.#host = host;
    this.#log = log;
  }

  start(): void {
    this.#ws.on('message', (data, isBinary) => this.#onFrame(String(data), isBinary));
    this.#authTimer = setTimeout(() => this.close(), AUTH_TIMEOUT_MS);
    this.send(JSON.stringify({ type: 'auth_required', ha_version: this.#host.haVersion }));
  }

  /** Queues a message; http.py `_send_message`. */
  send(text: string): void {
    if (this.#ws.readyState !== this.#ws.OPEN) return;
    this.#queue.push(text);
    this.#writer ??= setImmediate(() => this.#write());
  }

  close(): void {
    this.#write();
    clearTimeout(this.#authTimer);
    this.#ws.close(1000);
  }

  /** Drops the TCP connection without a close handshake (a network failure, for tests). */
  terminate(): void {
    this.stopTimers();
    this.#ws.terminate();
  }

  stopTimers(): void {
    clearTimeout(this.#authTimer);
    if (this.#writer) clearImmediate(this.#writer);
    this.#writer = undefined;
    this.#queue = [];
  }

  /** http.py `_writer`: one frame, or all queued frames as one array when coalescing. */
  #write(): void {
    if (this.#writer) clearImmediate(this.#writer);
    this.#writer = undefined;
    const messages = this.#queue;
    if (messages.length === 0 || this.#ws.readyState !== this.#ws.OPEN) return;
    this.#queue = [];
    if (this.#ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      // Home Assistant likewise drops a client that stops reading instead of buffering forever.
      this.#log.warn('demo home: client is not reading its messages, closing');
      this.terminate();
      return;
    }
    if (this.coalesce && messages.length > 1) this.#ws.send(`[${messages.join(',')}]`);
    else for (const message of messages) this.#ws.send(message);
  }

  #onFrame(text: string, isBinary: boolean): void {
    let msg: unknown;
    try {
      // Home Assistant ends the connection on a binary frame before auth and on invalid JSON.
      if (isBinary && !this.#user) throw new Error('binary frame');
      if (isBinary) return;
      msg = JSON.parse(text);
    } catch {
      this.#log.warn('demo home: invalid JSON from client, closing');
      this.close();
      return;
    }
    if (!this.#user) this.#onAuth(msg);
    else if (Array.isArray(msg)) for (const one of msg) this.#handle(one);
    else this.#handle(msg);
  }

  /** auth.py `AuthPhase.async_handle`: a malformed message is named, a bad token is not. */
  #onAuth(msg: unknown): void {
    let token: string | undefined;
    try {
      token = (AUTH_MESSAGE_SCHEMA(msg, []) as { access_token?: string }).access_token;
    } catch (err) {
      if (!(err instanceof Invalid)) throw err;
      this.#refuse(`Auth message incorrectly formatted: ${humanizeError(msg, err)}`);
      return;
    }
    const user = token ? this.#host.userFor(token) : undefined;
    if (!user) {
      this.#refuse('Invalid access token or password');
      return;
    }
    clearTimeout(this.#authTimer);
    this.#user = user;
    this.send(JSON.stringify({ type: 'auth_ok', ha_version: this.#host.haVersion }));
  }

  #refuse(message: string): void {
    this.send(JSON.stringify({ type: 'auth_invalid', message }));
    this.close();
  }

  /** connection.py `ActiveConnection.async_handle`. */
  #handle(msg: unknown): void {
    const obj = msg as Record<string, unknown>;
    const isDict = typeof msg === 'object' && msg !== null && !Array.isArray(msg);
    const id = isDict ? obj.id : undefined;
    if (
      !isDict ||
      typeof id !== 'number' ||
      !Number.isInteger(id) ||
      id === 0 ||
      typeof obj.type !== 'string' ||
      obj.type === ''
    ) {
      this.send(
        errorFrame(
          isDict ? (obj.id ?? null) : 0,
          'invalid_format',
          'Message incorrectly formatted.',
        ),
      );
      return;
    }
    if (id <= this.#lastId) {
      this.send(errorFrame(id, 'id_reuse', 'Identifier values have to increase.'));
      return;
    }
    const user = this.#user;
    if (!user) return;
    const ctx: CommandContext = { host: this.#host, session: this, user };
    const outcome = runCommand(ctx, obj as { id: number; type: string });
    if (outcome === 'unknown') {
      this.send(errorFrame(id, 'unknown_command', 'Unknown command.'));
      return;
    }
    if (!outcome.ok) {
      const wire = toWireError(outcome.error, obj);
      if (wire.code === 'unknown_error') {
        this.#log.error({ err: outcome.error, command: obj.type }, 'demo home: command failed');
      }
      this.send(errorFrame(id, wire.code, wire.message, wire.translation));
    } else if (outcome.result !== REPLIED) {
      this.send(JSON.stringify({ id, type: 'result', success: true, result: outcome.result }));
    }
    // Home Assistant moves last_id only after a known command's handler ran, failed or not.
    this.#lastId = id;
  }
}
