type Listener = (event: Event) => unknown;

/**
 * The browser-style part of a WebSocket used here. The `ws` package's WebSocket speaks it too, and
 * is the one used: the server has it loaded already, while Node's global WebSocket (undici) added
 * 17 MB of RSS to an idle process.
 */
export interface EventSocket {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: string, listener: Listener): void;
  removeEventListener(type: string, listener: Listener): void;
}

/**
 * A thin wrapper around a WebSocket with the surface home-assistant-js-websocket's
 * Connection uses. It exists because the library parses frames inside event listeners: a
 * malformed frame would throw out of a WebSocket listener, which Node reports as an uncaught
 * exception. Here every message listener runs guarded; a throw resets the connection instead.
 */
export class GuardedSocket {
  haVersion = '';
  readonly OPEN = 1;
  readonly #ws: EventSocket;
  readonly #onMalformed: (err: unknown) => void;
  readonly #wrapped = new Map<Listener, Listener>();

  constructor(ws: EventSocket, onMalformed: (err: unknown) => void) {
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
