import type { HassEntity } from 'home-assistant-js-websocket';
import { type Controls, controlsFor, type TileActions } from './controls.ts';
import { h } from './dom.ts';
import { domainIcon } from './icons.ts';
import { domainOf, friendlyName, isActive, stateText } from './state-text.ts';

/** Domains whose whole tile toggles on a tap. */
const TOGGLES = new Set(['light', 'switch', 'fan', 'input_boolean']);

/** One entity on screen: icon, name, state, and its domain's controls; updated in place. */
export interface Tile {
  readonly el: HTMLElement;
  update(entity: HassEntity): void;
}

export function createTile(entity: HassEntity, actions: TileActions): Tile {
  const domain = domainOf(entity.entity_id);
  const name = h('span', { class: 'name' });
  const state = h('span', { class: 'state' });
  const toggles = TOGGLES.has(domain);
  const main = toggles
    ? h('button', { type: 'button', class: 'tile-main', onclick: () => actions.call('toggle') })
    : h('div', { class: 'tile-main' });
  main.append(domainIcon(domain), name, state);
  const controls: Controls | undefined = controlsFor(domain, entity, actions);
  const el = h(
    'article',
    { class: 'tile', 'data-entity-id': entity.entity_id, 'data-domain': domain },
    main,
    ...(controls ? [controls.el] : []),
  );
  const update = (next: HassEntity) => {
    name.textContent = friendlyName(next);
    state.textContent = stateText(next);
    el.classList.toggle('active', isActive(next));
    el.classList.toggle('unavailable', next.state === 'unavailable');
    el.setAttribute('aria-label', friendlyName(next));
    if (toggles) {
      main.setAttribute('aria-pressed', String(next.state === 'on'));
      main.setAttribute('aria-label', `${friendlyName(next)}: ${stateText(next)}`);
    }
    controls?.update(next);
  };
  update(entity);
  return { el, update };
}
