import { h } from './dom.ts';
import { keypad } from './keypad.ts';

/** Home Assistant's codes are short; HAsync's action PIN has 4–8 digits. */
const MAX_CODE_LENGTH = 12;

/**
 * Asks for the code an entity wants (its state has `code_format`: a lock's regular expression,
 * an alarm panel's "number" or "text") in a modal dialog with a keypad; the digits stay hidden.
 * Resolves to the code, or undefined when cancelled.
 */
export function askCode(title: string, action: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'confirm code-dialog', 'aria-labelledby': 'code-title' });
    const input = h('input', {
      id: 'action-code',
      class: 'pin-input',
      type: 'password',
      inputmode: 'numeric',
      autocomplete: 'off',
      maxlength: MAX_CODE_LENGTH,
    });
    const ok = h('button', { type: 'submit', class: 'primary', disabled: true }, action);
    input.addEventListener('input', () => {
      ok.disabled = input.value.length === 0;
    });
    const finish = (code: string | undefined) => {
      dialog.close();
      dialog.remove();
      resolve(code);
    };
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', { id: 'code-title' }, title),
      h('label', { for: 'action-code' }, 'Code'),
      input,
      keypad(input, { maxLength: MAX_CODE_LENGTH, clearLabel: 'Clear code' }),
      h(
        'div',
        { class: 'dialog-buttons' },
        h('button', { type: 'button', onclick: () => finish(undefined) }, 'Cancel'),
        ok,
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (input.value) finish(input.value);
    });
    dialog.addEventListener('cancel', () => finish(undefined));
    dialog.append(form);
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}
