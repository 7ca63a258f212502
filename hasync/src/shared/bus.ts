import type { Logger } from './logger.ts';

type Listener<T> = (payload: T) => void;

/**
 * A typed, synchronous event bus. Listeners are registered under an owner name so a module can
 * remove all of its listeners with `off(owner)` on stop. A throwing listener is logged and isolated.
 */
export class EventBus<Events extends object> {
  readonly #log: Logger;
  readonly #listeners = new Map<keyof Events, Map<string, Listener<never>[]>>();

  constructor(log: Logger) {
    this.#log = log;
  }

  on<K extends keyof Events>(owner: string, event: K, fn: Listener<Events[K]>): void {
    let byOwner = this.#listeners.get(event);
    if (!byOwner) {
      byOwner = new Map();
      this.#listeners.set(event, byOwner);
    }
    const list = byOwner.get(owner) ?? [];
    list.push(fn as Listener<never>);
    byOwner.set(owner, list);
  }

  off(owner: string): void {
    for (const byOwner of this.#listeners.values()) byOwner.delete(owner);
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const byOwner = this.#listeners.get(event);
    if (!byOwner) return;
    for (const [owner, list] of byOwner) {
      for (const fn of list) {
        try {
          (fn as Listener<Events[K]>)(payload);
        } catch (err) {
          this.#log.error({ err, owner, event: String(event) }, 'event listener failed');
        }
      }
    }
  }
}
