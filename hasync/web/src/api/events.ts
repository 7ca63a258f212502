import { SERVER_EVENT_NAMES, type ServerEvents } from './types.ts';

export type ServerEventName = keyof ServerEvents;
/** One event from the stream; `name` narrows `payload`. */
export type ServerEvent = {
  [K in ServerEventName]: { name: K; payload: ServerEvents[K] };
}[ServerEventName];
export type ServerEventListener = (event: ServerEvent) => void;

type ConnectionListener = (connected: boolean) => void;

/**
 * One shared EventSource on `./api/events` (relative, so it works under ingress), opened while
 * anyone listens. The browser reconnects by itself; listeners learn when the stream is up or down.
 */
class EventStream {
  #source: EventSource | undefined;
  readonly #listeners = new Set<ServerEventListener>();
  readonly #connection = new Set<ConnectionListener>();
  connected = false;

  subscribe(listener: ServerEventListener): () => void {
    this.#listeners.add(listener);
    this.#open();
    return () => {
      this.#listeners.delete(listener);
      this.#closeIfIdle();
    };
  }

  onConnection(listener: ConnectionListener): () => void {
    this.#connection.add(listener);
    this.#open();
    return () => {
      this.#connection.delete(listener);
      this.#closeIfIdle();
    };
  }

  #open(): void {
    if (this.#source) return;
    const source = new EventSource('./api/events');
    this.#source = source;
    source.onopen = () => this.#setConnected(true);
    source.onerror = () => this.#setConnected(false);
    for (const name of SERVER_EVENT_NAMES) {
      source.addEventListener(name, (event) => this.#dispatch(name, event as MessageEvent));
    }
  }

  #dispatch(name: ServerEventName, event: MessageEvent): void {
    let payload: unknown;
    try {
      payload = JSON.parse(String(event.data));
    } catch {
      return;
    }
    const serverEvent = { name, payload } as ServerEvent;
    for (const listener of this.#listeners) listener(serverEvent);
  }

  #setConnected(connected: boolean): void {
    this.connected = connected;
    for (const listener of this.#connection) listener(connected);
  }

  #closeIfIdle(): void {
    if (this.#listeners.size > 0 || this.#connection.size > 0) return;
    this.#source?.close();
    this.#source = undefined;
    this.connected = false;
  }
}

/** The page's one event stream. */
export const events = new EventStream();
