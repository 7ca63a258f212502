import { h } from './dom.ts';

/** A digit keypad that types into `input`, big enough for a finger or a remote. */
export function keypad(
  input: HTMLInputElement,
  options: { readonly maxLength: number; readonly clearLabel: string },
): HTMLElement {
  const press = (key: string) => () => {
    if (key === 'del') input.value = input.value.slice(0, -1);
    else if (key === 'clear') input.value = '';
    else if (input.value.length < options.maxLength) input.value += key;
    input.dispatchEvent(new Event('input'));
  };
  const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'del'];
  const label = (key: string) => ({ del: 'Delete digit', clear: options.clearLabel })[key] ?? key;
  const face = (key: string) => ({ del: '⌫', clear: 'C' })[key] ?? key;
  return h(
    'div',
    { class: 'keypad', role: 'group', 'aria-label': 'Keypad' },
    ...keys.map((key) =>
      h('button', { type: 'button', 'aria-label': label(key), onclick: press(key) }, face(key)),
    ),
  );
}
