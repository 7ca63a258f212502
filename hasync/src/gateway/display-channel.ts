import type { DisplayEvent } from '../protocol/wall-display.ts';
import { eventFrame } from './change-encoder.ts';
import type { DeviceSession } from './device-session.ts';

/**
 * The live `hasync/display/subscribe` subscriptions, per device: where the admin's wall-display
 * settings and actions (reload, identify) go. A subscription ends with `unsubscribe_events` or
 * when its socket closes (both call the `cancel` its session holds).
 */
export class DisplayChannel {
  readonly #subscribers = new Map<string, Map<DeviceSession, Set<number>>>();

  /** Adds a subscription; returns the function that removes it (idempotent). */
  subscribe(deviceId: string, session: DeviceSession, id: number): () => void {
    let sessions = this.#subscribers.get(deviceId);
    if (!sessions) {
      sessions = new Map();
      this.#subscribers.set(deviceId, sessions);
    }
    let ids = sessions.get(session);
    if (!ids) {
      ids = new Set();
      sessions.set(session, ids);
    }
    ids.add(id);
    return () => this.#remove(deviceId, session, id);
  }

  /** Sends the event on every subscription of the device; the number of sessions that got it. */
  send(deviceId: string, event: DisplayEvent): number {
    const sessions = this.#subscribers.get(deviceId);
    if (!sessions) return 0;
    const json = JSON.stringify(event);
    let delivered = 0;
    for (const [session, ids] of sessions) {
      if (!session.connected) continue;
      for (const id of ids) session.send(eventFrame(id, json));
      delivered++;
    }
    return delivered;
  }

  #remove(deviceId: string, session: DeviceSession, id: number): void {
    const sessions = this.#subscribers.get(deviceId);
    const ids = sessions?.get(session);
    if (!sessions || !ids) return;
    ids.delete(id);
    if (ids.size === 0) sessions.delete(session);
    if (sessions.size === 0) this.#subscribers.delete(deviceId);
  }
}
