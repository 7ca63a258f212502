import {
  type Connection,
  callService,
  createConnection,
  createLongLivedTokenAuth,
  ERR_INVALID_AUTH,
  type HassEntities,
  subscribeEntities,
} from 'home-assistant-js-websocket';
import { askCode } from './code-dialog.ts';
import { apiBase, type StoredDevice } from './device-store.ts';
import { h, mount } from './dom.ts';
import { confirmDialog, toast } from './overlays.ts';
import { fetchPlacement, type Placement } from './registries.ts';
import {
  CLOSE_OUTSIDE_SCHEDULE,
  CLOSE_REVOKED,
  EXPIRED_REASON,
  reportingSocket,
  type SocketClose,
} from './socket.ts';
import { TileBoard } from './tile-board.ts';

/** Told when the device's token stops working: revoked, or never valid. */
export type OnRevoked = () => void;

interface Whoami {
  name: string;
  read_only: boolean;
}

const ENDED = "This device's access has ended";
const ENDED_HINT = 'Whoever set it up can extend it in HAsync; it comes back by itself.';
const CLOSED_HINT = 'It comes back by itself then.';

/**
 * The paired screen: a header, an offline banner, and the live tile board. Closed by HAsync
 * outside its hours (4002) or past its end date (4001 "device expired"), it hides the tiles, says
 * why, and keeps reconnecting: the hours may open, or an admin may extend the end date.
 */
export class Dashboard {
  readonly #root: HTMLElement;
  readonly #device: StoredDevice;
  readonly #onRevoked: OnRevoked;
  readonly #banner = h('p', { class: 'banner', role: 'status' });
  readonly #closedTitle = h('h2', { id: 'closed-title' });
  readonly #closedHint = h('p');
  readonly #closed = h(
    'section',
    { class: 'closed', role: 'status', 'aria-labelledby': 'closed-title', hidden: true },
    this.#closedTitle,
    this.#closedHint,
  );
  readonly #title = h('h1', { class: 'title' });
  readonly #viewOnly = h(
    'p',
    { class: 'view-only-badge', hidden: true },
    'View only — this screen shows, it does not control',
  );
  readonly #board: TileBoard;
  #conn: Connection | undefined;
  #placement: Placement = { areaNames: new Map(), areaOf: new Map(), deviceNameOf: new Map() };
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
      askCode,
    });
  }

  /** Draws the screen and connects; the library reconnects by itself with backoff. */
  async start(): Promise<void> {
    this.#title.textContent = this.#device.name;
    this.#offline('Connecting…');
    mount(
      this.#root,
      h('header', { class: 'top' }, this.#title, this.#viewOnly, this.#banner),
      this.#closed,
      this.#board.el,
    );
    const auth = createLongLivedTokenAuth(apiBase(), this.#device.token);
    const createSocket = reportingSocket(this.#device.token, (close) => this.#onClose(close));
    try {
      this.#conn = await createConnection({ auth, setupRetry: -1, createSocket });
    } catch (err) {
      if (err === ERR_INVALID_AUTH) this.#revoked();
      return;
    }
    if (this.#stopped) return this.#conn.close();
    this.#conn.addEventListener('ready', () => this.#online());
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

  /** Every close, before and after authentication: says why, or that it is reconnecting. */
  #onClose({ code, reason }: SocketClose): void {
    if (this.#stopped) return;
    if (code === CLOSE_OUTSIDE_SCHEDULE && reason) this.#closedFor(reason, CLOSED_HINT);
    else if (code === CLOSE_REVOKED && reason === EXPIRED_REASON)
      this.#closedFor(ENDED, ENDED_HINT);
    // A revocation ends in auth_invalid on the next attempt, and `#revoked` takes it from there.
    else this.#offline('Offline — reconnecting…');
  }

  #closedFor(title: string, hint: string): void {
    this.#banner.hidden = true;
    this.#closedTitle.textContent = title;
    this.#closedHint.textContent = hint;
    this.#closed.hidden = false;
    this.#root.classList.add('closed-now');
  }

  #offline(text: string): void {
    this.#banner.textContent = text;
    this.#banner.hidden = false;
  }

  #online(): void {
    this.#banner.hidden = true;
    this.#closed.hidden = true;
    this.#root.classList.remove('closed-now');
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
      // whoami tells a device only `read_only` (the screen as a whole); HAsync does not tell it
      // which entities are view-only, so those still show controls and get refused with the reason.
      this.#root.classList.toggle('read-only', me.read_only);
      this.#viewOnly.hidden = !me.read_only;
      this.#board.setReadOnly(me.read_only);
      this.#board.render(this.#entities, placement);
    } catch {
      // The connection dropped mid-way; `ready` will bring us back here.
    }
  }

  #call(entityId: string, service: string, data: Record<string, unknown>, domain: string): void {
    const conn = this.#conn;
    if (!conn) return;
    callService(conn, domain, service, data, { entity_id: entityId }).catch((err: unknown) => {
      const { code, message } = err as { code?: unknown; message?: unknown };
      // A refusal with a reason ("wrong code", "view only") says it; a bare one stays generic.
      const reason = typeof message === 'string' && message !== 'Unauthorized' ? message : '';
      const why =
        code === 'unauthorized'
          ? reason || 'this screen may not do that'
          : 'HAsync did not accept it';
      toast(`Could not ${service.replaceAll('_', ' ')}: ${why}.`);
    });
  }
}
