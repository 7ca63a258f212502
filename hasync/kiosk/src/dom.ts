/** Attribute values: `on<event>` keys take listeners, booleans toggle, the rest are strings. */
export type Attrs = Record<string, string | number | boolean | EventListener | undefined>;

/** Creates an element with attributes and children, the one DOM helper the kiosk uses. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  el.append(...children);
  return el;
}

/** Replaces everything inside `parent`. */
export function mount(parent: Element, ...children: Node[]): void {
  parent.replaceChildren(...children);
}
