import {
  type Connection,
  callService,
  createConnection,
  createLongLivedTokenAuth,
  ERR_INVALID_AUTH,
  type HassEntities,
  subscribeEntities,
} from 'home-assistant-js-websocket';
import { apiBase, type StoredDevice } from './device-store.ts';
import { h, mount } from './dom.ts';
import { confirmDialog, toast } from './overlays.ts';
import { fetchPlacement, type Placement } from './registries.ts';
import { TileBoard } from './tile-board.ts';

/** Told when the device's token stops working: revoked, or never valid. */
export type OnRevoked = () => void;

interface Whoami {
  name: string;
  read_only: boolean;
}

/** The paired screen: a header, an offline banner, and the live tile board. */
export class Dashboard {
  readonly #root: HTMLElement;
  readonly #device: StoredDevice;
  readonly #onRevoked: OnRevoked;
  readonly #banner = h('p', { class: 'banner', role: 'status' });
  readonly #title = h('h1', { class: 'title' });
  readonly #board: TileBoard;
  #conn: Connection | undefined;
  #placement: Placement = { areaNames: new Map(), areaOf: new Map() };
  #entities: HassEntities = {};
  #refresh: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(root: HTMLElement, device: StoredDevice, onRevoked: OnRevoked) {
    this.#root = root;
    this.#device = device;
    this.#onRevoked = onRevoked;
    this.#board = new TileBoard({
      call: (entityId, service, data, domain) => this.#call(entityId, service, data, domain),
      confirm: confirmDialog,
    });
  }

  /** Draws the screen and connects; the library reconnects by itself with backoff. */
  async start(): Promise<void> {
    this.#title.textContent = this.#device.name;
    this.#offline('Connecting…');
    mount(this.#root, h('header', { class: 'top' }, this.#title, this.#banner), this.#board.el);
    const auth = createLongLivedTokenAuth(apiBase(), this.#device.token);
    try {
      this.#conn = await createConnection({ auth, setupRetry: -1 });
    } catch (err) {
      if (err === ERR_INVALID_AUTH) this.#revoked();
      return;
    }
    if (this.#stopped) return this.#conn.close();
    this.#conn.addEventListener('ready', () => this.#online());
    this.#conn.addEventListener('disconnected', () => this.#offline('Offline — reconnecting…'));
    this.#conn.addEventListener('reconnect-error', (_conn, err) => {
      if (err === ERR_INVALID_AUTH) this.#revoked();
    });
    subscribeEntities(this.#conn, (entities) => this.#onEntities(entities));
    this.#online();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#refresh);
    this.#conn?.close();
  }

  #revoked(): void {
    this.stop();
    this.#onRevoked();
  }

  #offline(text: string): void {
    this.#banner.textContent = text;
    this.#banner.hidden = false;
  }

  #online(): void {
    this.#banner.hidden = true;
    this.#scheduleRefresh(0);
  }

  #onEntities(entities: HassEntities): void {
    this.#entities = entities;
    // An entity the registries have not placed yet joined the scope: fetch them again.
    if (Object.keys(entities).some((id) => !this.#placement.areaOf.has(id))) {
      this.#scheduleRefresh(250);
    }
    this.#board.render(entities, this.#placement);
  }

  /** Re-reads whoami and the registries (after connecting, and when the scope grows). */
  #scheduleRefresh(delayMs: number): void {
    if (this.#refresh !== undefined) return;
    this.#refresh = setTimeout(() => {
      this.#refresh = undefined;
      void this.#loadRegistries();
    }, delayMs);
  }

  async #loadRegistries(): Promise<void> {
    const conn = this.#conn;
    if (!conn || this.#stopped) return;
    try {
      const [placement, me] = await Promise.all([
        fetchPlacement(conn),
        conn.sendMessagePromise<Whoami>({ type: 'hasync/whoami' }),
      ]);
      this.#placement = placement;
      this.#title.textContent = me.name;
      this.#root.classList.toggle('read-only', me.read_only);
      this.#board.render(this.#entities, placement);
    } catch {
      // The connection dropped mid-way; `ready` will bring us back here.
    }
  }

  #call(entityId: string, service: string, data: Record<string, unknown>, domain: string): void {
    const conn = this.#conn;
    if (!conn) return;
    callService(conn, domain, service, data, { entity_id: entityId }).catch((err: unknown) => {
      const code = (err as { code?: unknown }).code;
      const why =
        code === 'unauthorized' ? 'this screen may not do that' : 'HAsync did not accept it';
      toast(`Could not ${service.replaceAll('_', ' ')}: ${why}.`);
    });
  }
}
