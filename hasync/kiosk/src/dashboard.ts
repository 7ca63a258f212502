import {
  type Connection,
  callService,
  createConnection,
  createLongLivedTokenAuth,
  ERR_CONNECTION_LOST,
  ERR_INVALID_AUTH,
  getServices,
  type HassEntities,
  subscribeEntities,
} from 'home-assistant-js-websocket';
import { askCode } from './code-dialog.ts';
import { apiBase, type StoredDevice } from './device-store.ts';
import { Display } from './display.ts';
import { h, mount } from './dom.ts';
import { MoreInfoSheet } from './more-info.ts';
import { confirmDialog, toast } from './overlays.ts';
import { fetchPlacement, type Placement } from './registries.ts';
import { DESCRIBES_NOTHING, type Describes, describesFrom } from './services.ts';
import {
  CLOSE_OUTSIDE_SCHEDULE,
  CLOSE_REVOKED,
  EXPIRED_REASON,
  reportingSocket,
  type SocketClose,
} from './socket.ts';
import { domainOf } from './state-text.ts';
import { isViewOnly, TileBoard } from './tile-board.ts';

/** Told when the device's token stops working: revoked, or never valid. */
export type OnRevoked = () => void;

interface Whoami {
  name: string;
  read_only: boolean;
  /** Since HAsync told devices (older servers leave them out). */
  view_only?: string[];
  view_only_domains?: string[];
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
  #describes: Describes = DESCRIBES_NOTHING;
  #sheet: MoreInfoSheet | undefined;
  readonly #display: Display;

  constructor(root: HTMLElement, device: StoredDevice, onRevoked: OnRevoked) {
    this.#root = root;
    this.#device = device;
    this.#onRevoked = onRevoked;
    this.#board = new TileBoard(
      {
        call: (entityId, service, data, domain) => this.#call(entityId, service, data, domain),
        confirm: confirmDialog,
        askCode,
        openSheet: (entityId) => this.#openSheet(entityId),
      },
      device.token,
    );
    this.#display = new Display(() => this.#title.textContent ?? '');
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
    this.#display.start();
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
    void this.#display.subscribe(this.#conn);
    this.#online();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#refresh);
    this.#sheet?.close();
    this.#display.stop();
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
    const open = this.#sheet && entities[this.#sheet.entityId];
    if (open) this.#sheet?.update(open);
    else this.#sheet?.close();
  }

  #openSheet(entityId: string): void {
    const entity = this.#entities[entityId];
    if (!entity || this.#sheet) return;
    const domain = domainOf(entityId);
    this.#sheet = new MoreInfoSheet(entity, {
      actions: {
        call: (service, data = {}, on = domain) => this.#call(entityId, service, data, on),
        confirm: confirmDialog,
        askCode,
      },
      has: (service, field) => this.#describes(domain, service, field),
      viewOnly: isViewOnly(this.#board.access, entityId),
      conn: this.#conn,
      token: this.#device.token,
      onClose: () => {
        this.#sheet = undefined;
      },
    });
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
      const [placement, me, services] = await Promise.all([
        fetchPlacement(conn),
        conn.sendMessagePromise<Whoami>({ type: 'hasync/whoami' }),
        getServices(conn),
      ]);
      this.#placement = placement;
      this.#describes = describesFrom(services);
      this.#title.textContent = me.name;
      this.#root.classList.toggle('read-only', me.read_only);
      this.#viewOnly.hidden = !me.read_only;
      this.#board.setAccess({
        readOnly: me.read_only,
        viewOnly: me.view_only ?? [],
        viewOnlyDomains: me.view_only_domains ?? [],
      });
      this.#board.render(this.#entities, placement);
    } catch {
      // The connection dropped mid-way; `ready` will bring us back here.
    }
  }

  #call(entityId: string, service: string, data: Record<string, unknown>, domain: string): void {
    const conn = this.#conn;
    const what = service.replaceAll('_', ' ');
    // Nothing is sent while the connection is down: say so, not that it was refused.
    const offline = () => toast(`Offline — could not ${what}. Reconnecting…`);
    if (!conn?.connected) {
      offline();
      return;
    }
    callService(conn, domain, service, data, { entity_id: entityId }).catch((err: unknown) => {
      const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
      if (err === ERR_CONNECTION_LOST || code === ERR_CONNECTION_LOST) {
        offline();
        return;
      }
      // A refusal with a reason ("wrong code", "view only") says it; a bare one stays generic.
      const reason = typeof message === 'string' && message !== 'Unauthorized' ? message : '';
      const why =
        code === 'unauthorized'
          ? reason || 'this screen may not do that'
          : 'HAsync did not accept it';
      toast(`Could not ${what}: ${why}.`);
    });
  }
}
