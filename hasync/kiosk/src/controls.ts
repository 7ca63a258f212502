import type { HassEntity } from 'home-assistant-js-websocket';
import { h } from './dom.ts';
import { actionIcon } from './icons.ts';
import { brightnessPct, friendlyName } from './state-text.ts';

/**
 * What a tile's controls may do: call a service on their entity, ask before risky ones, and ask
 * for the code an entity wants (resolves to undefined when cancelled).
 */
export interface TileActions {
  call(service: string, data?: Record<string, unknown>, domain?: string): void;
  confirm(question: string, action: string): Promise<boolean>;
  askCode(title: string, action: string): Promise<string | undefined>;
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

/** A button that shows an icon and names its action for screen readers and tooltips. */
function iconButton(icon: SVGSVGElement, onclick: () => void, label: string): HTMLButtonElement {
  const b = h('button', { type: 'button', onclick, 'aria-label': label, title: label });
  b.append(icon);
  return b;
}

/** Open, stop, close as arrows: three worded buttons do not fit a phone's half-width tile. */
function coverControls(entity: HassEntity, actions: TileActions): Controls {
  const name = friendlyName(entity);
  const open = iconButton(actionIcon('up'), () => actions.call('open_cover'), `Open ${name}`);
  const stop = iconButton(actionIcon('stop'), () => actions.call('stop_cover'), `Stop ${name}`);
  const close = iconButton(actionIcon('down'), () => actions.call('close_cover'), `Close ${name}`);
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

/**
 * Calls `service` once the user agrees: with the code they type when the entity's state has a
 * `code_format` (HAsync's action PIN, or the entity's own code), else after a yes/no question.
 */
export function guarded(
  entity: HassEntity,
  actions: TileActions,
  service: string,
  verb: string,
): Promise<void> {
  const name = friendlyName(entity);
  if (entity.attributes.code_format === undefined || entity.attributes.code_format === null) {
    return actions.confirm(`${verb} ${name}?`, verb).then((yes) => {
      if (yes) actions.call(service);
    });
  }
  return actions.askCode(`${verb} ${name}`, verb).then((code) => {
    if (code !== undefined) actions.call(service, { code });
  });
}

function lockControls(entity: HassEntity, actions: TileActions): Controls {
  const name = friendlyName(entity);
  let current = entity;
  let locked = entity.state === 'locked';
  const toggle = button('', () => {
    void guarded(current, actions, locked ? 'unlock' : 'lock', locked ? 'Unlock' : 'Lock');
  });
  const update = (next: HassEntity) => {
    current = next;
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

/** An alarm panel: arm (home or away) while disarmed, else disarm; with its code when it has one. */
function alarmControls(entity: HassEntity, actions: TileActions): Controls {
  const name = friendlyName(entity);
  let current = entity;
  const press = (service: string, verb: string) => () => {
    void guarded(current, actions, service, verb);
  };
  const home = button('Arm home', press('alarm_arm_home', 'Arm home'), `Arm home ${name}`);
  const away = button('Arm away', press('alarm_arm_away', 'Arm away'), `Arm away ${name}`);
  const disarm = button('Disarm', press('alarm_disarm', 'Disarm'), `Disarm ${name}`);
  const update = (next: HassEntity) => {
    current = next;
    const disarmed = next.state === 'disarmed';
    home.hidden = !disarmed;
    away.hidden = !disarmed;
    disarm.hidden = disarmed;
  };
  update(entity);
  return { el: row(home, away, disarm), update };
}

/** A scene's "Activate" or a script's "Run", as HA's entity rows offer them. */
function triggerControls(entity: HassEntity, actions: TileActions, verb: string): Controls {
  const run = button(verb, () => actions.call('turn_on'), `${verb} ${friendlyName(entity)}`);
  return { el: row(run), update: () => undefined };
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
    case 'alarm_control_panel':
      return alarmControls(entity, actions);
    case 'media_player':
      return mediaControls(entity, actions);
    case 'scene':
      return triggerControls(entity, actions, 'Activate');
    case 'script':
      return triggerControls(entity, actions, 'Run');
    default:
      return undefined;
  }
}
