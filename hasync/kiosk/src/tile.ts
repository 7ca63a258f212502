import type { HassEntity } from 'home-assistant-js-websocket';
import { CameraSnapshot } from './camera.ts';
import { type Controls, controlsFor, type TileActions } from './controls.ts';
import { h } from './dom.ts';
import { domainIcon } from './icons.ts';
import { stateActive, stateColor } from './state-color.ts';
import { domainOf, friendlyName, stateText } from './state-text.ts';

/** Domains whose tile toggles on a tap, as HA's tile card does. */
const TOGGLES = new Set(['light', 'switch', 'fan', 'input_boolean']);
/** A press this long opens the more-info sheet instead of acting (HA: action-handler.ts 500 ms). */
export const LONG_PRESS_MS = 500;

/** One entity on screen: icon, name, state, and its domain's controls; updated in place. */
export interface Tile {
  readonly el: HTMLElement;
  /** Shows `entity`'s state under `name` (the name as its section shows it). */
  update(entity: HassEntity, name: string): void;
  /** Stops what runs in the background (a camera's refresh). */
  stop(): void;
}

/** How a tile behaves: view only (no controls, no toggle), and how it opens its sheet. */
export interface TileOptions {
  readonly viewOnly: boolean;
  readonly openSheet: () => void;
  /** The device token, for a camera's picture. */
  readonly token: string;
}

/**
 * Opens the sheet on a long press: a pointer held for LONG_PRESS_MS (the sheet's backdrop then
 * takes the release, so the tile is not tapped), Enter held on a remote, or the `i` and
 * context-menu keys. Enter acts when it is let go, so holding it only opens the sheet.
 */
function longPress(main: HTMLElement, open: () => void): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cancel = () => clearTimeout(timer);
  main.addEventListener('pointerdown', () => {
    cancel();
    timer = setTimeout(open, LONG_PRESS_MS);
  });
  for (const type of ['pointerup', 'pointerleave', 'pointercancel']) {
    main.addEventListener(type, cancel);
  }
  main.addEventListener('contextmenu', (event) => event.preventDefault());
  let held = false;
  main.addEventListener('keydown', (event) => {
    if (event.key === 'i' || event.key === 'ContextMenu') {
      event.preventDefault();
      open();
    } else if (event.key === 'Enter') {
      // The button would click on keydown (and again on each repeat): wait for the key's release.
      event.preventDefault();
      if (!event.repeat) held = false;
      else if (!held) {
        held = true;
        open();
      }
    }
  });
  main.addEventListener('keyup', (event) => {
    if (event.key !== 'Enter') return;
    if (!held) main.click();
    held = false;
  });
}

/**
 * A tile. Its main button toggles where HA's tile card does (lights, switches, fans, input
 * booleans) and opens the more-info sheet elsewhere; a tap on the icon or name, or a long press,
 * always opens the sheet. A view-only tile (read-only screen, or an entity the admin made view
 * only) has no controls and never toggles: its button only opens the sheet, which shows states
 * and history.
 */
export function createTile(
  entity: HassEntity,
  name: string,
  actions: TileActions,
  options: TileOptions,
): Tile {
  const domain = domainOf(entity.entity_id);
  const label = h('span', { class: 'name' });
  const state = h('span', { class: 'state' });
  const toggles = !options.viewOnly && TOGGLES.has(domain);
  const icon = domainIcon(domain);
  const main = h('button', { type: 'button', class: 'tile-main' }, icon, label, state);
  main.addEventListener('click', (event) => {
    const onLabel =
      event.target instanceof Node && (icon.contains(event.target) || label.contains(event.target));
    if (toggles && !onLabel) actions.call('toggle');
    else options.openSheet();
  });
  longPress(main, options.openSheet);
  if (!toggles) main.setAttribute('aria-haspopup', 'dialog');
  const controls: Controls | undefined = options.viewOnly
    ? undefined
    : controlsFor(domain, entity, actions);
  const camera = domain === 'camera' ? new CameraSnapshot(entity, options.token) : undefined;
  const el = h(
    'article',
    {
      class: options.viewOnly ? 'tile view-only' : 'tile',
      'data-entity-id': entity.entity_id,
      'data-domain': domain,
    },
    main,
    ...(camera ? [camera.el] : []),
    ...(controls ? [controls.el] : []),
  );
  const update = (next: HassEntity, shown: string) => {
    const full = friendlyName(next);
    label.textContent = shown;
    label.title = full;
    state.textContent = stateText(next);
    el.dataset.state = next.state;
    const color = stateColor(next);
    // Only domains HA colours light up; a sensor's tile stays plain whatever its value.
    el.classList.toggle('active', color !== undefined && stateActive(next));
    el.classList.toggle('unavailable', next.state === 'unavailable');
    if (color) el.style.setProperty('--tile-color', color);
    else el.style.removeProperty('--tile-color');
    el.setAttribute('aria-label', full);
    main.setAttribute('aria-label', `${full}: ${stateText(next)}`);
    if (toggles) main.setAttribute('aria-pressed', String(next.state === 'on'));
    controls?.update(next);
    camera?.update(next);
  };
  update(entity, name);
  return { el, update, stop: () => camera?.stop() };
}
