import { h } from './dom.ts';

/** Asks a yes/no question in a modal dialog, big enough for a finger or a remote. */
export function confirmDialog(question: string, action: string): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-title' });
    const finish = (answer: boolean) => () => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    const cancel = h('button', { type: 'button', onclick: finish(false) }, 'Cancel');
    dialog.append(
      h('h2', { id: 'confirm-title' }, question),
      h(
        'div',
        { class: 'dialog-buttons' },
        cancel,
        h('button', { type: 'button', class: 'primary', onclick: finish(true) }, action),
      ),
    );
    dialog.addEventListener('cancel', finish(false));
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

const TOAST_MS = 5000;

/** Shows a short message at the bottom of the screen (a failed call, for instance). */
export function toast(message: string): void {
  const el = h('div', { class: 'toast', role: 'alert' }, message);
  document.body.append(el);
  setTimeout(() => el.remove(), TOAST_MS);
}
