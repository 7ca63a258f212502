import type { HassEntity } from 'home-assistant-js-websocket';
import { type Controls, controlsFor, type TileActions } from './controls.ts';
import { h } from './dom.ts';
import { domainIcon } from './icons.ts';
import { stateActive, stateColor } from './state-color.ts';
import { domainOf, friendlyName, stateText } from './state-text.ts';

/** Domains whose whole tile toggles on a tap. */
const TOGGLES = new Set(['light', 'switch', 'fan', 'input_boolean']);

/** One entity on screen: icon, name, state, and its domain's controls; updated in place. */
export interface Tile {
  readonly el: HTMLElement;
  /** Shows `entity`'s state under `name` (the name as its section shows it). */
  update(entity: HassEntity, name: string): void;
}

/**
 * A tile; on a read-only screen it has no controls and does not toggle (nothing that looks like
 * it could be pressed), only the icon, name and state.
 */
export function createTile(
  entity: HassEntity,
  name: string,
  actions: TileActions,
  readOnly: boolean,
): Tile {
  const domain = domainOf(entity.entity_id);
  const label = h('span', { class: 'name' });
  const state = h('span', { class: 'state' });
  const toggles = !readOnly && TOGGLES.has(domain);
  const main = toggles
    ? h('button', { type: 'button', class: 'tile-main', onclick: () => actions.call('toggle') })
    : h('div', { class: 'tile-main' });
  main.append(domainIcon(domain), label, state);
  const controls: Controls | undefined = readOnly
    ? undefined
    : controlsFor(domain, entity, actions);
  const el = h(
    'article',
    {
      class: readOnly ? 'tile view-only' : 'tile',
      'data-entity-id': entity.entity_id,
      'data-domain': domain,
    },
    main,
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
    if (toggles) {
      main.setAttribute('aria-pressed', String(next.state === 'on'));
      main.setAttribute('aria-label', `${full}: ${stateText(next)}`);
    }
    controls?.update(next);
  };
  update(entity, name);
  return { el, update };
}
