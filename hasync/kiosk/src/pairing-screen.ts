import type { StoredDevice } from './device-store.ts';
import { h } from './dom.ts';
import { keypad } from './keypad.ts';
import { defaultName, pairWith } from './pair-api.ts';

/** How the pairing screen was reached: a notice to show, and the QR-code secret if any. */
export interface PairingOptions {
  readonly notice?: string;
  readonly code?: string;
  readonly onPaired: (device: StoredDevice) => void;
}

const PIN_LENGTH = 6;

function pinField(): { field: HTMLElement; input: HTMLInputElement } {
  const input = h('input', {
    id: 'pin',
    class: 'pin-input',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    maxlength: PIN_LENGTH,
    pattern: '[0-9]{6}',
    placeholder: '······',
    required: true,
  });
  input.addEventListener('input', () => {
    input.value = input.value.replace(/\D/g, '').slice(0, PIN_LENGTH);
  });
  const field = h(
    'div',
    { class: 'field' },
    h('label', { for: 'pin' }, 'PIN'),
    input,
    keypad(input, { maxLength: PIN_LENGTH, clearLabel: 'Clear PIN' }),
  );
  return { field, input };
}

/** The first screen: pair with the 6-digit PIN, or with the code from a `pair_url`. */
export function pairingScreen(options: PairingOptions): HTMLElement {
  const { code } = options;
  const pin = code ? undefined : pinField();
  const name = h('input', {
    id: 'device-name',
    value: defaultName(),
    maxlength: 64,
    required: true,
  });
  const error = h('p', { class: 'error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Pair');
  const form = h(
    'form',
    { class: 'pair-form', novalidate: true },
    ...(pin ? [pin.field] : []),
    h('div', { class: 'field' }, h('label', { for: 'device-name' }, 'Name of this screen'), name),
    submit,
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const secret = code ? { code } : { pin: pin?.input.value ?? '' };
    if ('pin' in secret && secret.pin.length !== PIN_LENGTH) {
      error.textContent = 'Enter all 6 digits of the PIN.';
      return;
    }
    submit.disabled = true;
    error.textContent = '';
    void pairWith(secret, name.value.trim() || defaultName()).then((outcome) => {
      submit.disabled = false;
      if (outcome.ok) return options.onPaired(outcome.device);
      error.textContent = outcome.message;
      // A locked, used or expired PIN never works again: clear it so nobody retries it.
      error.classList.toggle('final', outcome.final);
      if (outcome.final && pin) pin.input.value = '';
    });
  });
  const intro = code
    ? 'This link pairs this screen with HAsync. Check its name, then press Pair.'
    : 'Enter the PIN shown in HAsync under “Pair a device”.';
  return h(
    'section',
    { class: 'pairing', 'aria-labelledby': 'pair-title' },
    h('h1', { id: 'pair-title' }, 'Pair this screen'),
    ...(options.notice ? [h('p', { class: 'notice', role: 'status' }, options.notice)] : []),
    h('p', { class: 'intro' }, intro),
    form,
  );
}
