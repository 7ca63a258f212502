import type { WebSocket } from 'ws';
import { HasyncError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import {
  type CommandContext,
  type Message,
  REPLIED,
  runCommand,
  type SessionHost,
} from './commands.ts';
import type { Subscriber } from './publisher.ts';

/** Home Assistant closes a connection that has not authenticated within 10 s. */
export const AUTH_TIMEOUT_MS = 10_000;

/** Unsent bytes a client may fall behind by before it is dropped. */
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

const DEMO_USER_ID = 'demo0000000000000000000000000001';

/** One client connection to the demo home: auth phase, then commands (Home Assistant's framing). */
export class DemoSession implements Subscriber {
  coalesce = false;
  readonly #ws: WebSocket;
  readonly #host: SessionHost;
  readonly #log: Logger;
  #authenticated = false;
  #lastId = 0;
  #authTimer: NodeJS.Timeout | undefined;

  constructor(ws: WebSocket, host: SessionHost, log: Logger) {
    this.#ws = ws;
    this.#host = host;
    this.#log = log;
  }

  start(): void {
    this.#ws.on('message', (data, isBinary) => this.#onMessage(isBinary ? '' : String(data)));
    this.#authTimer = setTimeout(() => this.close(), AUTH_TIMEOUT_MS);
    this.send(JSON.stringify({ type: 'auth_required', ha_version: this.#host.haVersion }));
  }

  send(text: string): void {
    if (this.#ws.readyState !== this.#ws.OPEN) return;
    if (this.#ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      // Home Assistant likewise drops a client that stops reading instead of buffering forever.
      this.#log.warn('demo home: client is not reading its messages, closing');
      this.terminate();
      return;
    }
    this.#ws.send(text);
  }

  close(): void {
    clearTimeout(this.#authTimer);
    this.#ws.close();
  }

  /** Drops the TCP connection without a close handshake (a network failure, for tests). */
  terminate(): void {
    clearTimeout(this.#authTimer);
    this.#ws.terminate();
  }

  stopTimers(): void {
    clearTimeout(this.#authTimer);
  }

  #onMessage(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      // Home Assistant drops a client that sends invalid JSON.
      this.#log.warn('demo home: invalid JSON from client, closing');
      this.close();
      return;
    }
    if (this.#authenticated) this.#onCommand(msg);
    else this.#onAuth(msg);
  }

  #onAuth(msg: unknown): void {
    const token = (msg as { type?: unknown; access_token?: unknown } | null)?.access_token;
    const isAuth = (msg as { type?: unknown } | null)?.type === 'auth';
    if (!isAuth || typeof token !== 'string' || !this.#host.acceptsToken(token)) {
      const message = isAuth
        ? 'Invalid access token or password'
        : 'Auth message incorrectly formatted';
      this.send(JSON.stringify({ type: 'auth_invalid', message }));
      this.close();
      return;
    }
    clearTimeout(this.#authTimer);
    this.#authenticated = true;
    this.send(JSON.stringify({ type: 'auth_ok', ha_version: this.#host.haVersion }));
  }

  #onCommand(raw: unknown): void {
    const msg = raw as Partial<Message> | null;
    if (
      !msg ||
      typeof msg !== 'object' ||
      typeof msg.id !== 'number' ||
      typeof msg.type !== 'string'
    ) {
      this.#error(
        typeof msg?.id === 'number' ? msg.id : null,
        'invalid_format',
        'Message incorrectly formatted.',
      );
      return;
    }
    if (msg.id <= this.#lastId) {
      this.#error(msg.id, 'id_reuse', 'Identifier values have to increase.');
      return;
    }
    this.#lastId = msg.id;
    const ctx: CommandContext = { host: this.#host, session: this, userId: DEMO_USER_ID };
    try {
      const result = runCommand(ctx, msg as Message);
      if (result !== REPLIED)
        this.send(JSON.stringify({ id: msg.id, type: 'result', success: true, result }));
    } catch (err) {
      if (err instanceof HasyncError) this.#error(msg.id, err.code, err.message);
      else {
        this.#log.error({ err, command: msg.type }, 'demo home: command failed');
        this.#error(msg.id, 'unknown_error', 'Unknown error');
      }
    }
  }

  #error(id: number | null, code: string, message: string): void {
    this.send(JSON.stringify({ id, type: 'result', success: false, error: { code, message } }));
  }
}
