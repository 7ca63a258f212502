import type { Connection } from 'home-assistant-js-websocket';
import type { HassConfig, HassEvent } from '../protocol/home-assistant.ts';
import type { Logger } from '../shared/logger.ts';
import type { HomeSink } from './home-sink.ts';
import { LISTING_OF_EVENT, LISTINGS, type Listing, type RelistPace } from './listings.ts';
import { parseEvent } from './parse.ts';
import { SUBSCRIBE_ALLOWLIST } from './subscribe-allowlist.ts';
import { toHasyncError } from './upstream-errors.ts';

/** How long a listing waits after the first event saying it changed before it is listed again. */
export type RelistDelays = Readonly<Record<RelistPace, number>>;

/**
 * HA's frontend relists a registry 500 ms after its update event (src/data/ws-*_registry.ts);
 * home-assistant-js-websocket relists services 5 s after `service_registered` (services.ts).
 * Services here wait less, because a device may be refused a call while they are stale.
 */
export const DEFAULT_RELIST_DELAYS: RelistDelays = { registry: 500, services: 1500 };

export interface RegistryWatcherDeps {
  readonly conn: Connection;
  readonly sink: HomeSink;
  readonly log: Logger;
  readonly delays: RelistDelays;
  /** Passes on an event Home Assistant fired, verbatim, once the cache reflects it. */
  readonly relay: (event: HassEvent) => void;
  /** A relist failed: the session is no longer trustworthy. */
  readonly onFailure: (err: unknown) => void;
}

interface Slot {
  timer: NodeJS.Timeout | undefined;
  running: boolean;
  /** An event arrived that the listing in the sink (or the one being fetched) may predate. */
  dirty: boolean;
  /** Events waiting for the next relist to start; relayed when it has been applied. */
  waiting: HassEvent[];
}

/**
 * Keeps registries, services and config current on one connection, and relays every event of
 * Home Assistant's non-admin allowlist (but `state_changed`). An event that invalidates a listing
 * starts a relist after a short delay; further events meanwhile join that one relist, and relists
 * of one listing never overlap. Such events are relayed only after the relist they caused is in
 * the cache, so a device told "entity registry updated" that asks again gets the new listing, and
 * the gateway filters the event by up-to-date registries. Other events are relayed at once.
 */
export class RegistryWatcher {
  readonly #deps: RegistryWatcherDeps;
  readonly #slots = new Map<Listing, Slot>();
  /** Components `component_loaded` announced on this connection; re-applied after a relist. */
  readonly #loaded = new Set<string>();
  #ready = false;
  #closed = false;

  constructor(deps: RegistryWatcherDeps) {
    this.#deps = deps;
  }

  /** Subscribes to every allowlisted event type before anything is listed, so no change slips by. */
  async subscribe(): Promise<void> {
    const { conn } = this.#deps;
    const types = [...SUBSCRIBE_ALLOWLIST].filter((type) => type !== 'state_changed');
    await Promise.all(
      types.map((eventType) =>
        conn.subscribeMessage(
          (raw: unknown) => this.#onEvent(parseEvent(raw)),
          { type: 'subscribe_events', event_type: eventType },
          { resubscribe: false },
        ),
      ),
    );
  }

  /** The snapshot is in the sink: relist what changed while it was fetched. */
  ready(): void {
    this.#ready = true;
    this.#patchComponents();
    for (const [name, slot] of this.#slots) if (slot.dirty) this.#schedule(name, slot);
  }

  close(): void {
    this.#closed = true;
    for (const slot of this.#slots.values()) clearTimeout(slot.timer);
  }

  #onEvent(event: HassEvent): void {
    if (this.#closed) return;
    if (event.event_type === 'component_loaded') {
      const { component } = event.data;
      if (typeof component === 'string') this.#loaded.add(component);
      if (this.#ready) this.#patchComponents();
      this.#deps.relay(event);
      return;
    }
    const name = LISTING_OF_EVENT.get(event.event_type);
    if (!name) {
      this.#deps.relay(event);
      return;
    }
    const slot = this.#slot(name);
    slot.waiting.push(event);
    slot.dirty = true;
    if (this.#ready) this.#schedule(name, slot);
  }

  #slot(name: Listing): Slot {
    let slot = this.#slots.get(name);
    if (!slot) {
      slot = { timer: undefined, running: false, dirty: false, waiting: [] };
      this.#slots.set(name, slot);
    }
    return slot;
  }

  /** A running relist reschedules itself when done, so relists of one listing never overlap. */
  #schedule(name: Listing, slot: Slot): void {
    if (slot.timer || slot.running) return;
    const delayMs = this.#deps.delays[LISTINGS[name].pace];
    slot.timer = setTimeout(() => this.#run(name, slot), delayMs);
  }

  #run(name: Listing, slot: Slot): void {
    slot.timer = undefined;
    if (this.#closed) return;
    slot.running = true;
    slot.dirty = false;
    const covered = slot.waiting;
    slot.waiting = [];
    LISTINGS[name].fetch(this.#deps.conn).then(
      (apply) => {
        slot.running = false;
        if (this.#closed) return;
        apply(this.#deps.sink);
        if (name === 'config') this.#patchComponents();
        for (const event of covered) this.#deps.relay(event);
        if (slot.dirty) this.#schedule(name, slot);
      },
      (err: unknown) => {
        slot.running = false;
        if (this.#closed) return;
        const reason = toHasyncError(err).message;
        this.#deps.log.warn({ registry: name, reason }, 'registry refresh failed');
        this.#deps.onFailure(err);
      },
    );
  }

  // js-websocket: lib/config.ts processComponentLoaded (adds event.data.component to components).
  #patchComponents(): void {
    const config = this.#deps.sink.config();
    if (!config || this.#loaded.size === 0) return;
    const known = new Set(config.components ?? []);
    const missing = [...this.#loaded].filter((component) => !known.has(component));
    if (missing.length === 0) return;
    const next: HassConfig = { ...config, components: [...(config.components ?? []), ...missing] };
    this.#deps.sink.setConfig(next);
  }
}
