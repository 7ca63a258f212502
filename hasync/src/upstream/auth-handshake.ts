import type { HaWebSocket } from 'home-assistant-js-websocket';
import WebSocket from 'ws';
import { errorMessage, HasyncError, UnrecoverableError } from '../shared/errors.ts';
import { type EventSocket, GuardedSocket } from './guarded-socket.ts';

export interface OpenSocketOptions {
  readonly wsUrl: string;
  readonly token: string;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly onMalformed: (err: unknown) => void;
}

type AuthReply = { type?: unknown; ha_version?: unknown; message?: unknown };

function parseAuthReply(data: unknown): AuthReply {
  const msg: unknown = JSON.parse(String(data));
  if (typeof msg !== 'object' || msg === null) throw new Error('auth reply is not an object');
  return msg as AuthReply;
}

/**
 * Opens a socket and runs Home Assistant's auth phase: the library's `createSocket`, plus a
 * timeout over the whole phase, an abort signal, and guarded frames. Rejects with
 * UnrecoverableError('auth_invalid') for a rejected token, else HasyncError('cannot_connect').
 */
export function openSocket(options: OpenSocketOptions): Promise<HaWebSocket> {
  return new Promise((resolve, reject) => {
    new AuthHandshake(options, resolve, reject).begin();
  });
}

class AuthHandshake {
  readonly #options: OpenSocketOptions;
  readonly #resolve: (socket: HaWebSocket) => void;
  readonly #reject: (err: HasyncError) => void;
  readonly #ws: EventSocket;
  readonly #socket: GuardedSocket;
  #detail = 'connection refused or closed';
  #timer: NodeJS.Timeout | undefined;

  constructor(
    options: OpenSocketOptions,
    resolve: (socket: HaWebSocket) => void,
    reject: (err: HasyncError) => void,
  ) {
    this.#options = options;
    this.#resolve = resolve;
    this.#reject = reject;
    const ws = new WebSocket(options.wsUrl);
    // `ws` throws an 'error' nobody listens to (after the handshake, or a close while still
    // connecting); the close that follows it is what the link acts on.
    ws.on('error', () => undefined);
    this.#ws = ws as unknown as EventSocket;
    this.#socket = new GuardedSocket(this.#ws, options.onMalformed);
  }

  begin(): void {
    const { signal, timeoutMs } = this.#options;
    if (signal.aborted) {
      this.#onAbort();
      return;
    }
    this.#timer = setTimeout(() => {
      this.#detail = `no auth_ok within ${timeoutMs} ms`;
      this.#cannotConnect();
    }, timeoutMs);
    signal.addEventListener('abort', this.#onAbort, { once: true });
    this.#ws.addEventListener('message', this.#onMessage);
    this.#ws.addEventListener('error', this.#onError);
    this.#ws.addEventListener('close', this.#onClose);
  }

  readonly #onAbort = () => this.#fail(new HasyncError('aborted', 'connection attempt aborted'));

  readonly #onMessage = (event: Event) => {
    let msg: AuthReply;
    try {
      msg = parseAuthReply((event as MessageEvent).data);
    } catch (err) {
      this.#options.onMalformed(err);
      this.#detail = `malformed auth frame (${errorMessage(err)})`;
      this.#cannotConnect();
      return;
    }
    if (msg.type === 'auth_required') {
      this.#ws.send(JSON.stringify({ type: 'auth', access_token: this.#options.token }));
    } else if (msg.type === 'auth_invalid') {
      const why = typeof msg.message === 'string' ? `: ${msg.message}` : '';
      this.#fail(
        new UnrecoverableError('auth_invalid', `Home Assistant rejected the access token${why}`),
      );
    } else if (msg.type === 'auth_ok') {
      this.#authenticated(msg);
    }
  };

  readonly #onError = (event: Event) => {
    const err = event as Event & { message?: string; error?: { message?: string } };
    this.#detail = err.message || err.error?.message || 'socket error';
  };

  readonly #onClose = (event: Event) => {
    const { code, reason } = event as CloseEvent;
    if (code && code !== 1005 && code !== 1006) {
      this.#detail = `closed with ${code}${reason ? ` ${reason}` : ''}`;
    }
    this.#cannotConnect();
  };

  #authenticated(msg: AuthReply): void {
    this.#cleanup();
    this.#socket.haVersion = typeof msg.ha_version === 'string' ? msg.ha_version : '';
    // Home Assistant's client announces message coalescing right after auth_ok.
    const features = { type: 'supported_features', id: 1, features: { coalesce_messages: 1 } };
    this.#ws.send(JSON.stringify(features));
    this.#resolve(this.#socket as unknown as HaWebSocket);
  }

  #cannotConnect(): void {
    const { wsUrl } = this.#options;
    this.#fail(new HasyncError('cannot_connect', `cannot connect to ${wsUrl}: ${this.#detail}`));
  }

  #fail(err: HasyncError): void {
    this.#cleanup();
    this.#ws.close();
    this.#reject(err);
  }

  #cleanup(): void {
    clearTimeout(this.#timer);
    this.#options.signal.removeEventListener('abort', this.#onAbort);
    this.#ws.removeEventListener('message', this.#onMessage);
    this.#ws.removeEventListener('error', this.#onError);
    this.#ws.removeEventListener('close', this.#onClose);
  }
}
