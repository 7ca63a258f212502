import type { HaWebSocket } from 'home-assistant-js-websocket';
import { errorMessage, HasyncError, UnrecoverableError } from '../shared/errors.ts';

type Listener = (event: Event) => unknown;

/**
 * A thin wrapper around Node's global WebSocket with the surface home-assistant-js-websocket's
 * Connection uses. It exists because the library parses frames inside event listeners: a
 * malformed frame would throw out of a WebSocket listener, which Node reports as an uncaught
 * exception. Here every message listener runs guarded; a throw resets the connection instead.
 */
export class GuardedSocket {
  haVersion = '';
  readonly OPEN = 1;
  readonly #ws: WebSocket;
  readonly #onMalformed: (err: unknown) => void;
  readonly #wrapped = new Map<Listener, Listener>();

  constructor(ws: WebSocket, onMalformed: (err: unknown) => void) {
    this.#ws = ws;
    this.#onMalformed = onMalformed;
  }

  get readyState(): number {
    return this.#ws.readyState;
  }

  send(data: string): void {
    this.#ws.send(data);
  }

  close(): void {
    this.#ws.close();
  }

  addEventListener(type: string, listener: Listener): void {
    if (type !== 'message') {
      this.#ws.addEventListener(type, listener);
      return;
    }
    const guarded: Listener = (event) => {
      try {
        const result = listener(event);
        if (result instanceof Promise) result.catch((err: unknown) => this.#malformed(err));
      } catch (err) {
        this.#malformed(err);
      }
    };
    this.#wrapped.set(listener, guarded);
    this.#ws.addEventListener('message', guarded);
  }

  removeEventListener(type: string, listener: Listener): void {
    const wrapped = type === 'message' ? this.#wrapped.get(listener) : undefined;
    this.#wrapped.delete(listener);
    this.#ws.removeEventListener(type, wrapped ?? listener);
  }

  #malformed(err: unknown): void {
    this.#onMalformed(err);
    this.#ws.close();
  }
}

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
 * Opens a socket and runs Home Assistant's auth phase (the library's `createSocket`, with a
 * timeout over the whole phase, an abort signal, and guarded frames). Rejects with an
 * UnrecoverableError('auth_invalid') for a rejected token, else HasyncError('cannot_connect').
 */
export function openSocket(options: OpenSocketOptions): Promise<HaWebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(options.wsUrl);
    const socket = new GuardedSocket(ws, options.onMalformed);
    let detail = 'connection closed';
    const fail = (err: HasyncError) => {
      cleanup();
      ws.close();
      reject(err);
    };
    const cannot = () =>
      new HasyncError('cannot_connect', `cannot connect to ${options.wsUrl}: ${detail}`);
    const timer = setTimeout(() => {
      detail = `no auth_ok within ${options.timeoutMs} ms`;
      fail(cannot());
    }, options.timeoutMs);
    const onAbort = () => fail(new HasyncError('aborted', 'connection attempt aborted'));
    const onMessage = (event: Event) => {
      let msg: AuthReply;
      try {
        msg = parseAuthReply((event as MessageEvent).data);
      } catch (err) {
        options.onMalformed(err);
        detail = `malformed auth frame (${errorMessage(err)})`;
        fail(cannot());
        return;
      }
      if (msg.type === 'auth_required')
        ws.send(JSON.stringify({ type: 'auth', access_token: options.token }));
      else if (msg.type === 'auth_invalid') {
        const why = typeof msg.message === 'string' ? `: ${msg.message}` : '';
        fail(
          new UnrecoverableError('auth_invalid', `Home Assistant rejected the access token${why}`),
        );
      } else if (msg.type === 'auth_ok') {
        cleanup();
        socket.haVersion = typeof msg.ha_version === 'string' ? msg.ha_version : '';
        // Home Assistant's client announces message coalescing right after auth_ok.
        ws.send(
          JSON.stringify({ type: 'supported_features', id: 1, features: { coalesce_messages: 1 } }),
        );
        resolve(socket as unknown as HaWebSocket);
      }
    };
    const onError = (event: Event) => {
      const err = event as Event & { message?: string; error?: { message?: string } };
      detail = err.message || err.error?.message || 'socket error';
    };
    const onClose = (event: Event) => {
      const { code, reason } = event as CloseEvent;
      if (code && code !== 1005 && code !== 1006)
        detail = `closed with ${code}${reason ? ` ${reason}` : ''}`;
      fail(cannot());
    };
    function cleanup() {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      ws.removeEventListener('message', onMessage);
      ws.removeEventListener('error', onError);
      ws.removeEventListener('close', onClose);
    }
    if (options.signal.aborted) return onAbort();
    options.signal.addEventListener('abort', onAbort, { once: true });
    ws.addEventListener('message', onMessage);
    ws.addEventListener('error', onError);
    ws.addEventListener('close', onClose);
  });
}
