import type { Connection, HassEntity } from 'home-assistant-js-websocket';
import { CameraSnapshot } from './camera.ts';
import type { TileActions } from './controls.ts';
import { h } from './dom.ts';
import { HistoryGraph } from './history-graph.ts';
import { domainIcon } from './icons.ts';
import { sheetControls } from './sheet-controls.ts';
import type { SheetPart } from './sheet-parts.ts';
import { stateColor } from './state-color.ts';
import { domainOf, friendlyName, stateText } from './state-text.ts';

/** What a sheet needs besides its entity. */
export interface SheetOptions {
  readonly actions: TileActions;
  /** Whether HA describes this entity's `service` (and `field`); only those are offered. */
  readonly has: (service: string, field?: string) => boolean;
  /** Read-only screen or view-only entity: states, pictures and history, no controls. */
  readonly viewOnly: boolean;
  readonly conn: Connection | undefined;
  readonly token: string;
  readonly onClose: () => void;
}

/** Domains whose sheet shows the last 24 hours (HA's more-info shows history for sensors). */
const HISTORY_DOMAINS = new Set(['sensor', 'binary_sensor', 'input_number', 'number']);

/**
 * The more-info sheet of one tile, as Home Assistant's more-info dialog: the entity's name and
 * state, the controls HA offers for its domain (only services and fields HA describes), a
 * camera's picture, and a sensor's history graph. Kept in step with the entity while open.
 */
export class MoreInfoSheet {
  readonly entityId: string;
  readonly #dialog = h('dialog', { class: 'sheet', 'aria-labelledby': 'sheet-title' });
  readonly #state = h('p', { class: 'sheet-state' });
  readonly #parts: SheetPart<HassEntity>[];
  readonly #camera: CameraSnapshot | undefined;
  readonly #history: HistoryGraph | undefined;
  readonly #onClose: () => void;

  constructor(entity: HassEntity, options: SheetOptions) {
    this.entityId = entity.entity_id;
    this.#onClose = options.onClose;
    const domain = domainOf(entity.entity_id);
    this.#parts = options.viewOnly
      ? []
      : sheetControls(domain, entity, options.actions, options.has);
    if (domain === 'camera') this.#camera = new CameraSnapshot(entity, options.token, true);
    const unit = entity.attributes.unit_of_measurement;
    if (options.conn && (HISTORY_DOMAINS.has(domain) || typeof unit === 'string')) {
      this.#history = new HistoryGraph(entity.entity_id, typeof unit === 'string' ? unit : '');
      void this.#history.start(options.conn);
    }
    const close = h(
      'button',
      { type: 'button', class: 'sheet-close', onclick: () => this.close() },
      'Done',
    );
    const head = h(
      'header',
      { class: 'sheet-head' },
      domainIcon(domain),
      h('div', {}, h('h2', { id: 'sheet-title' }, friendlyName(entity)), this.#state),
      close,
    );
    const note = options.viewOnly
      ? [
          h(
            'p',
            { class: 'view-only-note' },
            'View only — this screen shows it, it does not control it.',
          ),
        ]
      : [];
    this.#dialog.append(
      head,
      ...note,
      ...(this.#camera ? [this.#camera.el] : []),
      ...this.#parts.map((p) => p.el),
      ...(this.#history ? [this.#history.el] : []),
    );
    this.#dialog.addEventListener('close', () => this.#closed());
    this.update(entity);
    document.body.append(this.#dialog);
    this.#dialog.showModal();
    close.focus();
  }

  update(entity: HassEntity): void {
    this.#state.textContent = stateText(entity);
    const color = stateColor(entity);
    if (color) this.#dialog.style.setProperty('--tile-color', color);
    for (const p of this.#parts) p.update(entity);
    this.#camera?.update(entity);
  }

  close(): void {
    if (this.#dialog.open) this.#dialog.close();
  }

  #closed(): void {
    this.#camera?.stop();
    this.#history?.stop();
    this.#dialog.remove();
    this.#onClose();
  }
}
