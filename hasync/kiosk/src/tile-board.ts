import type { HassEntities } from 'home-assistant-js-websocket';
import { h } from './dom.ts';
import { tileName } from './names.ts';
import { type Placement, type Section, sectionsOf } from './registries.ts';
import { domainOf } from './state-text.ts';
import { createTile, type Tile } from './tile.ts';

/** What the board asks of the dashboard: service calls, confirmations, codes and sheets. */
export interface BoardActions {
  call(entityId: string, service: string, data: Record<string, unknown>, domain: string): void;
  confirm(question: string, action: string): Promise<boolean>;
  askCode(title: string, action: string): Promise<string | undefined>;
  openSheet(entityId: string): void;
}

/** What this screen may control: nothing when read-only, else all but the view-only entities. */
export interface Access {
  readonly readOnly: boolean;
  readonly viewOnly: readonly string[];
  readonly viewOnlyDomains: readonly string[];
}

export const FULL_ACCESS: Access = { readOnly: false, viewOnly: [], viewOnlyDomains: [] };

/** Whether an entity is only shown on this screen, never controlled. */
export function isViewOnly(access: Access, entityId: string): boolean {
  return (
    access.readOnly ||
    access.viewOnly.includes(entityId) ||
    access.viewOnlyDomains.includes(domainOf(entityId))
  );
}

interface SectionView {
  readonly el: HTMLElement;
  readonly title: HTMLElement;
  readonly grid: HTMLElement;
  order: string;
}

/**
 * Areas as sections and entities as tiles, kept by key so a state change only updates the text
 * of its tile (focus, and a slider being dragged, survive), and tiles come and go with the scope.
 */
export class TileBoard {
  readonly el = h('div', { class: 'board' });
  readonly #actions: BoardActions;
  readonly #token: string;
  readonly #tiles = new Map<string, { tile: Tile; state: unknown; name: string }>();
  readonly #sections = new Map<string, SectionView>();
  readonly #empty = h(
    'p',
    { class: 'empty' },
    'Nothing to show yet. In HAsync, choose the areas this screen may see.',
  );
  #order = '';
  #access: Access = FULL_ACCESS;

  constructor(actions: BoardActions, token: string) {
    this.#actions = actions;
    this.#token = token;
  }

  get access(): Access {
    return this.#access;
  }

  /**
   * Read-only screens and view-only entities get tiles without controls; a change rebuilds the
   * tiles at the next `render` (the sections are re-filled because their tiles are new elements).
   */
  setAccess(access: Access): void {
    if (JSON.stringify(access) === JSON.stringify(this.#access)) return;
    this.#access = access;
    for (const held of this.#tiles.values()) this.#drop(held.tile);
    this.#tiles.clear();
    for (const view of this.#sections.values()) view.order = '';
  }

  render(entities: HassEntities, placement: Placement): void {
    this.#syncTiles(entities, placement);
    const sections = sectionsOf(entities, placement);
    for (const section of sections) this.#syncSection(section);
    for (const [key, view] of this.#sections) {
      if (!sections.some((s) => s.key === key)) {
        view.el.remove();
        this.#sections.delete(key);
      }
    }
    const order = sections.map((s) => s.key).join('\n');
    if (order !== this.#order || this.el.childElementCount === 0) {
      this.#order = order;
      const views = sections.flatMap((s) => this.#sections.get(s.key)?.el ?? []);
      this.el.replaceChildren(...(views.length ? views : [this.#empty]));
    }
  }

  #drop(tile: Tile): void {
    tile.stop();
    tile.el.remove();
  }

  #syncTiles(entities: HassEntities, placement: Placement): void {
    for (const [entityId, held] of this.#tiles) {
      if (!entities[entityId]) {
        this.#drop(held.tile);
        this.#tiles.delete(entityId);
      }
    }
    for (const [entityId, entity] of Object.entries(entities)) {
      const held = this.#tiles.get(entityId);
      const name = tileName(entity, placement);
      if (!held) {
        const domain = domainOf(entityId);
        const actions = {
          call: (service: string, data: Record<string, unknown> = {}, on = domain) =>
            this.#actions.call(entityId, service, data, on),
          confirm: this.#actions.confirm,
          askCode: this.#actions.askCode,
        };
        const tile = createTile(entity, name, actions, {
          viewOnly: isViewOnly(this.#access, entityId),
          openSheet: () => this.#actions.openSheet(entityId),
          token: this.#token,
        });
        this.#tiles.set(entityId, { tile, state: entity, name });
      } else if (held.state !== entity || held.name !== name) {
        held.tile.update(entity, name);
        held.state = entity;
        held.name = name;
      }
    }
  }

  #syncSection(section: Section): void {
    let view = this.#sections.get(section.key);
    if (!view) {
      const title = h('h2', { class: 'area-title' });
      const grid = h('div', { class: 'grid' });
      const el = h('section', { class: 'area', 'data-area': section.key || 'other' }, title, grid);
      view = { el, title, grid, order: '' };
      this.#sections.set(section.key, view);
    }
    view.title.textContent = section.title;
    view.el.setAttribute('aria-label', section.title);
    const order = section.entityIds.join('\n');
    if (order !== view.order) {
      view.order = order;
      view.grid.replaceChildren(
        ...section.entityIds.flatMap((id) => this.#tiles.get(id)?.tile.el ?? []),
      );
    }
  }
}
