import type { HassEntity } from 'home-assistant-js-websocket';
import { guarded, type TileActions } from './controls.ts';
import { h } from './dom.ts';
import {
  buttonRow,
  choices,
  list,
  modeWords,
  num,
  picker,
  type SheetPart,
  sheetButton,
  slider,
} from './sheet-parts.ts';
import { brightnessPct } from './state-text.ts';

/** Whether Home Assistant describes this entity's `service` (and `field`), see services.ts. */
type Has = (service: string, field?: string) => boolean;
type Part = SheetPart<HassEntity>;
type Builder = (entity: HassEntity, actions: TileActions, has: Has) => Part[];

const part = (el: HTMLElement, update: (e: HassEntity) => void): Part => ({ el, update });

function toggle(actions: TileActions, has: Has): Part[] {
  if (!has('toggle')) return [];
  const button = sheetButton('', () => actions.call('toggle'), true);
  return [
    part(buttonRow(button), (e) => {
      button.textContent = e.state === 'on' ? 'Turn off' : 'Turn on';
      button.setAttribute('aria-pressed', String(e.state === 'on'));
    }),
  ];
}

/** HA: src/dialogs/more-info/controls/more-info-light.ts (brightness, colour temperature, colour). */
const HUES: [string, number][] = [
  ['Red', 0],
  ['Orange', 30],
  ['Yellow', 55],
  ['Green', 120],
  ['Cyan', 180],
  ['Blue', 230],
  ['Purple', 275],
  ['Pink', 320],
];

function colorTemp(entity: HassEntity, actions: TileActions, has: Has): Part[] {
  const modes = list(entity.attributes.supported_color_modes);
  if (!modes.includes('color_temp')) return [];
  // The field HA describes: color_temp_kelvin (2024.12+), kelvin (older), else mireds.
  const field = ['color_temp_kelvin', 'kelvin'].find((f) => has('turn_on', f));
  const a = entity.attributes;
  if (field) {
    const min = num(a.min_color_temp_kelvin) ?? 2000;
    const max = num(a.max_color_temp_kelvin) ?? 6500;
    const s = slider(
      'Colour temperature',
      { min, max, step: 50 },
      (v) => `${v} K`,
      (v) => actions.call('turn_on', { [field]: v }),
    );
    return [part(s.el, (e) => s.set(num(e.attributes.color_temp_kelvin)))];
  }
  if (!has('turn_on', 'color_temp')) return [];
  const min = num(a.min_mireds) ?? 153;
  const max = num(a.max_mireds) ?? 500;
  const s = slider(
    'Colour temperature',
    { min, max, step: 1 },
    (v) => `${Math.round(1e6 / v)} K`,
    (v) => actions.call('turn_on', { color_temp: v }),
  );
  return [part(s.el, (e) => s.set(num(e.attributes.color_temp)))];
}

function light(entity: HassEntity, actions: TileActions, has: Has): Part[] {
  const modes = list(entity.attributes.supported_color_modes);
  const parts = toggle(actions, has);
  if (modes.some((m) => m !== 'onoff') && has('turn_on', 'brightness_pct')) {
    const s = slider(
      'Brightness',
      { min: 1, max: 100, step: 1 },
      (v) => `${v} %`,
      (v) => actions.call('turn_on', { brightness_pct: v }),
    );
    parts.push(part(s.el, (e) => s.set(e.state === 'on' ? (brightnessPct(e) ?? 100) : undefined)));
  }
  parts.push(...colorTemp(entity, actions, has));
  const colour = ['hs', 'xy', 'rgb', 'rgbw', 'rgbww'];
  if (modes.some((m) => colour.includes(m)) && has('turn_on', 'hs_color')) {
    const swatches = HUES.map(([name, hue]) => {
      const b = h('button', {
        type: 'button',
        class: 'swatch',
        'aria-label': name,
        style: `--swatch: hsl(${hue} 100% 50%)`,
        onclick: () => actions.call('turn_on', { hs_color: [hue, 100] }),
      });
      return b;
    });
    const el = h(
      'div',
      { class: 'sheet-row', role: 'group', 'aria-label': 'Colour' },
      h('span', { class: 'row-label' }, 'Colour'),
      h('div', { class: 'choices swatches' }, ...swatches),
    );
    parts.push(part(el, () => undefined));
  }
  return parts;
}

/**
 * A set-point row (− value +) for the climate attribute `attr`; `data` is what set_temperature
 * gets for a new value. Hidden while the entity has no such set-point (another HVAC mode).
 */
function setpointRow(
  entity: HassEntity,
  actions: TileActions,
  names: { label: string; value: string; lower: string; raise: string },
  attr: string,
  data: (value: number, e: HassEntity) => Record<string, unknown>,
): Part {
  let current = entity;
  const value = h('output', { class: 'setpoint', 'aria-label': names.value });
  const step = (sign: number) => () => {
    const a = current.attributes;
    const next = (num(a[attr]) ?? 20) + sign * (num(a.target_temp_step) ?? 0.5);
    const bounded = Math.min(num(a.max_temp) ?? 35, Math.max(num(a.min_temp) ?? 7, next));
    actions.call('set_temperature', data(bounded, current));
  };
  const el = h(
    'div',
    { class: 'sheet-row setpoint-row' },
    h('span', { class: 'row-label' }, names.label),
    h('button', { type: 'button', 'aria-label': names.lower, onclick: step(-1) }, '−'),
    value,
    h('button', { type: 'button', 'aria-label': names.raise, onclick: step(1) }, '+'),
  );
  return part(el, (e) => {
    current = e;
    el.hidden = num(e.attributes[attr]) === undefined;
    value.textContent = `${num(e.attributes[attr]) ?? '–'} °`;
  });
}

/** HA: more-info-climate.ts — set-point (or low/high in heat_cool), HVAC mode, fan mode, preset. */
function climate(entity: HassEntity, actions: TileActions, has: Has): Part[] {
  const parts: Part[] = [];
  const a = entity.attributes;
  if (has('set_temperature', 'temperature') && num(a.temperature) !== undefined) {
    const names = {
      label: 'Target',
      value: 'Target temperature',
      lower: 'Lower target',
      raise: 'Raise target',
    };
    parts.push(setpointRow(entity, actions, names, 'temperature', (v) => ({ temperature: v })));
  }
  // A range (heat_cool): HA's set_temperature wants both ends together.
  const range =
    has('set_temperature', 'target_temp_low') &&
    has('set_temperature', 'target_temp_high') &&
    num(a.target_temp_low) !== undefined &&
    num(a.target_temp_high) !== undefined;
  if (range) {
    const end = (which: 'low' | 'high', other: 'low' | 'high') =>
      setpointRow(
        entity,
        actions,
        {
          label: which === 'low' ? 'Low' : 'High',
          value: `${which === 'low' ? 'Low' : 'High'} target temperature`,
          lower: `Lower ${which} target`,
          raise: `Raise ${which} target`,
        },
        `target_temp_${which}`,
        (v, e) => ({
          [`target_temp_${which}`]: v,
          [`target_temp_${other}`]: num(e.attributes[`target_temp_${other}`]),
        }),
      );
    parts.push(end('low', 'high'), end('high', 'low'));
  }
  const modeRow = (label: string, attr: string, service: string, field: string, now: string) => {
    const options = list(entity.attributes[attr]);
    if (options.length === 0 || !has(service, field)) return;
    const row = choices(label, options, modeWords, (o) => actions.call(service, { [field]: o }));
    parts.push(part(row.el, (e) => row.set(now === 'state' ? e.state : e.attributes[now])));
  };
  modeRow('Mode', 'hvac_modes', 'set_hvac_mode', 'hvac_mode', 'state');
  modeRow('Fan', 'fan_modes', 'set_fan_mode', 'fan_mode', 'fan_mode');
  modeRow('Preset', 'preset_modes', 'set_preset_mode', 'preset_mode', 'preset_mode');
  for (const p of parts) p.update(entity);
  return parts;
}

/** HA: more-info-cover.ts — open, stop, close and the position. */
function cover(entity: HassEntity, actions: TileActions, has: Has): Part[] {
  const parts: Part[] = [];
  const verbs: [string, string][] = [
    ['open_cover', 'Open'],
    ['stop_cover', 'Stop'],
    ['close_cover', 'Close'],
  ];
  const buttons = verbs
    .filter(([service]) => has(service))
    .map(([service, label]) => sheetButton(label, () => actions.call(service)));
  if (buttons.length) parts.push(part(buttonRow(...buttons), () => undefined));
  if (
    num(entity.attributes.current_position) !== undefined &&
    has('set_cover_position', 'position')
  ) {
    const s = slider(
      'Position',
      { min: 0, max: 100, step: 1 },
      (v) => `${v} %`,
      (v) => actions.call('set_cover_position', { position: v }),
    );
    parts.push(part(s.el, (e) => s.set(num(e.attributes.current_position))));
  }
  return parts;
}

/** HA: more-info-fan.ts — on/off, speed, preset. */
function fan(entity: HassEntity, actions: TileActions, has: Has): Part[] {
  const parts = toggle(actions, has);
  if (num(entity.attributes.percentage) !== undefined && has('set_percentage', 'percentage')) {
    const step = num(entity.attributes.percentage_step) ?? 1;
    const s = slider(
      'Speed',
      { min: 0, max: 100, step },
      (v) => `${Math.round(v)} %`,
      (v) => actions.call('set_percentage', { percentage: v }),
    );
    parts.push(part(s.el, (e) => s.set(num(e.attributes.percentage))));
  }
  const presets = list(entity.attributes.preset_modes);
  if (presets.length && has('set_preset_mode', 'preset_mode')) {
    const row = choices('Preset', presets, modeWords, (o) =>
      actions.call('set_preset_mode', { preset_mode: o }),
    );
    parts.push(part(row.el, (e) => row.set(e.attributes.preset_mode)));
  }
  return parts;
}

/** MediaPlayerEntityFeature bits. HA: components/media_player/const.py */
const MEDIA_VOLUME_SET = 4;
const MEDIA_VOLUME_MUTE = 8;
const MEDIA_SELECT_SOURCE = 2048;

/** HA: more-info-media_player.ts — play/pause, volume, mute, source. */
function media(entity: HassEntity, actions: TileActions, has: Has): Part[] {
  const parts: Part[] = [];
  // HA's more-info offers only what the player supports (MediaPlayerEntityFeature): a player
  // without VOLUME_SET ignores volume_set (the demo's "Lounge room" TV has a volume_level).
  const features = num(entity.attributes.supported_features) ?? 0;
  const supports = (bit: number) => (features & bit) !== 0;
  if (has('media_play_pause')) {
    const play = sheetButton('', () => actions.call('media_play_pause'), true);
    parts.push(
      part(buttonRow(play), (e) => {
        play.textContent = e.state === 'playing' ? 'Pause' : 'Play';
        play.disabled = e.state === 'off' || e.state === 'unavailable';
      }),
    );
  }
  if (
    supports(MEDIA_VOLUME_SET) &&
    num(entity.attributes.volume_level) !== undefined &&
    has('volume_set', 'volume_level')
  ) {
    const s = slider(
      'Volume',
      { min: 0, max: 100, step: 1 },
      (v) => `${v} %`,
      (v) => actions.call('volume_set', { volume_level: v / 100 }),
    );
    parts.push(part(s.el, (e) => s.set(Math.round((num(e.attributes.volume_level) ?? 0) * 100))));
  }
  if (
    supports(MEDIA_VOLUME_MUTE) &&
    typeof entity.attributes.is_volume_muted === 'boolean' &&
    has('volume_mute', 'is_volume_muted')
  ) {
    const mute = sheetButton('', () =>
      actions.call('volume_mute', {
        is_volume_muted: mute.getAttribute('aria-pressed') !== 'true',
      }),
    );
    parts.push(
      part(buttonRow(mute), (e) => {
        mute.textContent = e.attributes.is_volume_muted ? 'Unmute' : 'Mute';
        mute.setAttribute('aria-pressed', String(e.attributes.is_volume_muted === true));
      }),
    );
  }
  const sources = list(entity.attributes.source_list);
  if (supports(MEDIA_SELECT_SOURCE) && sources.length && has('select_source', 'source')) {
    const p = picker('Source', sources, (source) => actions.call('select_source', { source }));
    parts.push(part(p.el, (e) => p.set(e.attributes.source)));
  }
  return parts;
}

/** AlarmControlPanelEntityFeature bits. HA: components/alarm_control_panel/const.py */
const ARM: [string, string, number][] = [
  ['alarm_arm_home', 'Arm home', 1],
  ['alarm_arm_away', 'Arm away', 2],
  ['alarm_arm_night', 'Arm night', 4],
  ['alarm_arm_vacation', 'Arm vacation', 32],
];

/** HA: more-info-alarm_control_panel.ts — arm modes the panel supports, or disarm; keypad code. */
function alarm(entity: HassEntity, actions: TileActions, has: Has): Part[] {
  let current = entity;
  const features = num(entity.attributes.supported_features) ?? 0;
  const press = (service: string, verb: string) => () => {
    void guarded(current, actions, service, verb);
  };
  const arms = ARM.filter(([service, , bit]) => features & bit && has(service)).map(
    ([service, label]) => sheetButton(label, press(service, label)),
  );
  const disarm = has('alarm_disarm')
    ? [sheetButton('Disarm', press('alarm_disarm', 'Disarm'), true)]
    : [];
  if (!arms.length && !disarm.length) return [];
  return [
    part(buttonRow(...arms, ...disarm), (e) => {
      current = e;
      const disarmed = e.state === 'disarmed';
      for (const b of arms) b.hidden = !disarmed;
      for (const b of disarm) b.hidden = disarmed;
    }),
  ];
}

function lock(entity: HassEntity, actions: TileActions, has: Has): Part[] {
  let current = entity;
  const one = (service: string, verb: string) =>
    sheetButton(verb, () => void guarded(current, actions, service, verb));
  const buttons = [
    ...(has('lock') ? [one('lock', 'Lock')] : []),
    ...(has('unlock') ? [one('unlock', 'Unlock')] : []),
    // LockEntityFeature.OPEN
    ...((num(entity.attributes.supported_features) ?? 0) & 1 && has('open')
      ? [one('open', 'Open')]
      : []),
  ];
  return buttons.length ? [part(buttonRow(...buttons), (e) => (current = e))] : [];
}

/** A scene is activated, a script run (HA: more-info-script.ts "Run"). */
const trigger =
  (label: string): Builder =>
  (_entity, actions, has) =>
    has('turn_on')
      ? [part(buttonRow(sheetButton(label, () => actions.call('turn_on'), true)), () => undefined)]
      : [];

const BUILDERS: Record<string, Builder> = {
  light,
  climate,
  cover,
  fan,
  media_player: media,
  alarm_control_panel: alarm,
  lock,
  scene: trigger('Activate'),
  script: trigger('Run'),
  switch: (_e, actions, has) => toggle(actions, has),
  input_boolean: (_e, actions, has) => toggle(actions, has),
};

/** The controls the sheet shows for an entity: what HA's more-info offers and HAsync describes. */
export function sheetControls(
  domain: string,
  entity: HassEntity,
  actions: TileActions,
  has: Has,
): Part[] {
  const parts = BUILDERS[domain]?.(entity, actions, has) ?? [];
  for (const p of parts) p.update(entity);
  return parts;
}
