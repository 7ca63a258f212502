import { h } from './dom.ts';

/** A part of the more-info sheet, kept in step with its entity. */
export interface SheetPart<E> {
  readonly el: HTMLElement;
  update(entity: E): void;
}

/** A labelled slider that calls `onPick` when let go (not on every step while dragging). */
export function slider(
  label: string,
  range: { min: number; max: number; step: number },
  show: (value: number) => string,
  onPick: (value: number) => void,
): { el: HTMLElement; set(value: number | undefined): void } {
  const input = h('input', {
    type: 'range',
    min: range.min,
    max: range.max,
    step: range.step,
    'aria-label': label,
  });
  const out = h('output', { class: 'value' });
  input.addEventListener('input', () => {
    out.textContent = show(Number(input.value));
  });
  input.addEventListener('change', () => onPick(Number(input.value)));
  const el = h(
    'div',
    { class: 'sheet-row slider-row' },
    h('span', { class: 'row-label' }, label),
    out,
    input,
  );
  return {
    el,
    set(value) {
      // Leave the slider alone while someone is dragging it.
      if (document.activeElement === input && input.matches(':active')) return;
      if (value !== undefined) input.value = String(value);
      out.textContent = value === undefined ? '–' : show(value);
    },
  };
}

/** A row of choices (HVAC modes, fan modes, presets); the current one is pressed. */
export function choices(
  label: string,
  options: readonly string[],
  words: (option: string) => string,
  onPick: (option: string) => void,
): { el: HTMLElement; set(current: unknown): void } {
  const buttons = options.map((option) =>
    h(
      'button',
      { type: 'button', 'aria-pressed': 'false', onclick: () => onPick(option) },
      words(option),
    ),
  );
  const el = h(
    'div',
    { class: 'sheet-row', role: 'group', 'aria-label': label },
    h('span', { class: 'row-label' }, label),
    h('div', { class: 'choices' }, ...buttons),
  );
  return {
    el,
    set(current) {
      buttons.forEach((button, i) => {
        button.setAttribute('aria-pressed', String(options[i] === current));
      });
    },
  };
}

/** A labelled drop-down (a media player's sources). */
export function picker(
  label: string,
  options: readonly string[],
  onPick: (option: string) => void,
): { el: HTMLElement; set(current: unknown): void } {
  const select = h(
    'select',
    { 'aria-label': label },
    ...options.map((option) => h('option', { value: option }, option)),
  );
  select.addEventListener('change', () => onPick(select.value));
  const el = h('label', { class: 'sheet-row' }, h('span', { class: 'row-label' }, label), select);
  return {
    el,
    set(current) {
      if (typeof current === 'string' && options.includes(current)) select.value = current;
      else select.selectedIndex = -1;
    },
  };
}

/** A row of buttons. */
export function buttonRow(...buttons: HTMLButtonElement[]): HTMLElement {
  return h('div', { class: 'sheet-row choices' }, ...buttons);
}

export function sheetButton(label: string, onclick: () => void, primary = false) {
  return h('button', { type: 'button', class: primary ? 'primary' : undefined, onclick }, label);
}

/** Words for Home Assistant's mode values ("heat_cool" → "Heat/cool", "fan_only" → "Fan only"). */
export function modeWords(mode: string): string {
  const text = mode.replace('heat_cool', 'heat/cool').replaceAll('_', ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

export const list = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
