import type { HassEntity } from 'home-assistant-js-websocket';
import { h } from './dom.ts';
import { brightnessPct, friendlyName } from './state-text.ts';

/** What a tile's controls may do: call a service on their entity, ask before risky ones. */
export interface TileActions {
  call(service: string, data?: Record<string, unknown>, domain?: string): void;
  confirm(question: string, action: string): Promise<boolean>;
}

/** The controls under a tile's name and state, kept in step with the entity by `update`. */
export interface Controls {
  readonly el: HTMLElement;
  update(entity: HassEntity): void;
}

const row = (...children: Node[]) => h('div', { class: 'controls' }, ...children);

function lightControls(entity: HassEntity, actions: TileActions): Controls | undefined {
  const modes = entity.attributes.supported_color_modes as string[] | undefined;
  if (!modes || modes.every((mode) => mode === 'onoff')) return undefined;
  const slider = h('input', {
    type: 'range',
    min: 1,
    max: 100,
    step: 1,
    class: 'brightness',
    'aria-label': `Brightness of ${friendlyName(entity)}`,
  });
  slider.addEventListener('change', () => {
    actions.call('turn_on', { brightness_pct: Number(slider.value) });
  });
  const update = (next: HassEntity) => {
    // Leave the slider alone while someone is dragging it.
    if (document.activeElement === slider && slider.matches(':active')) return;
    slider.value = String(next.state === 'on' ? (brightnessPct(next) ?? 100) : 1);
    slider.classList.toggle('off', next.state !== 'on');
  };
  update(entity);
  return { el: row(slider), update };
}

function button(label: string, onclick: () => void, aria?: string): HTMLButtonElement {
  return h('button', { type: 'button', onclick, 'aria-label': aria }, label);
}

function coverControls(entity: HassEntity, actions: TileActions): Controls {
  const name = friendlyName(entity);
  const open = button('Open', () => actions.call('open_cover'), `Open ${name}`);
  const stop = button('Stop', () => actions.call('stop_cover'), `Stop ${name}`);
  const close = button('Close', () => actions.call('close_cover'), `Close ${name}`);
  const update = (next: HassEntity) => {
    open.disabled = next.state === 'open';
    close.disabled = next.state === 'closed';
  };
  update(entity);
  return { el: row(open, stop, close), update };
}

function climateControls(entity: HassEntity, actions: TileActions): Controls {
  const name = friendlyName(entity);
  const target = h('output', { class: 'target', 'aria-label': `Target temperature of ${name}` });
  let current = entity;
  const step = (sign: number) => () => {
    const { temperature, target_temp_step, min_temp, max_temp } = current.attributes;
    const delta = sign * (typeof target_temp_step === 'number' ? target_temp_step : 0.5);
    const next = (typeof temperature === 'number' ? temperature : 20) + delta;
    const low = typeof min_temp === 'number' ? min_temp : 7;
    const high = typeof max_temp === 'number' ? max_temp : 35;
    actions.call('set_temperature', { temperature: Math.min(high, Math.max(low, next)) });
  };
  const down = button('−', step(-1), `Lower ${name}`);
  const up = button('+', step(1), `Raise ${name}`);
  const update = (next: HassEntity) => {
    current = next;
    const t = next.attributes.temperature;
    target.textContent = typeof t === 'number' ? `${t} °` : '–';
  };
  update(entity);
  return { el: row(down, target, up), update };
}

function lockControls(entity: HassEntity, actions: TileActions): Controls {
  const name = friendlyName(entity);
  let locked = entity.state === 'locked';
  const toggle = button('', () => {
    const service = locked ? 'unlock' : 'lock';
    const verb = locked ? 'Unlock' : 'Lock';
    void actions.confirm(`${verb} ${name}?`, verb).then((yes) => {
      if (yes) actions.call(service);
    });
  });
  const update = (next: HassEntity) => {
    locked = next.state === 'locked';
    toggle.textContent = locked ? 'Unlock' : 'Lock';
    toggle.setAttribute('aria-label', `${locked ? 'Unlock' : 'Lock'} ${name}`);
  };
  update(entity);
  return { el: row(toggle), update };
}

function mediaControls(entity: HassEntity, actions: TileActions): Controls {
  const name = friendlyName(entity);
  const play = button('', () => actions.call('media_play_pause'));
  const update = (next: HassEntity) => {
    const playing = next.state === 'playing';
    play.textContent = playing ? 'Pause' : 'Play';
    play.setAttribute('aria-label', `${playing ? 'Pause' : 'Play'} ${name}`);
    play.disabled = next.state === 'off' || next.state === 'unavailable';
  };
  update(entity);
  return { el: row(play), update };
}

/** The controls an entity's domain gets, if any (sensors only show their state). */
export function controlsFor(
  domain: string,
  entity: HassEntity,
  actions: TileActions,
): Controls | undefined {
  switch (domain) {
    case 'light':
      return lightControls(entity, actions);
    case 'cover':
      return coverControls(entity, actions);
    case 'climate':
      return climateControls(entity, actions);
    case 'lock':
      return lockControls(entity, actions);
    case 'media_player':
      return mediaControls(entity, actions);
    default:
      return undefined;
  }
}
