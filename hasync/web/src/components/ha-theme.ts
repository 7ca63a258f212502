/**
 * Under ingress Home Assistant shows this page in an iframe on its own origin and passes no theme
 * (HA: hassio/src/ingress-view/hassio-ingress-view.ts renders a bare `<iframe src=ingress_url>`),
 * so the page reads the theme variables Home Assistant applies to its own document and uses them:
 * the user's chosen theme and dark mode, not the browser's preference. Outside an iframe, or when
 * the parent is another origin, the stylesheet's light and dark follow `prefers-color-scheme`.
 */

/** Home Assistant's theme variable → ours. HA: src/resources/theme/color.globals.ts. */
const VARIABLES: readonly (readonly [ha: string, ours: string])[] = [
  ['--primary-color', '--primary-color'],
  ['--primary-background-color', '--bg'],
  ['--card-background-color', '--card-bg'],
  ['--primary-text-color', '--text'],
  ['--secondary-text-color', '--muted'],
  ['--divider-color', '--divider'],
  ['--app-header-background-color', '--header-bg'],
  ['--app-header-text-color', '--header-text'],
  ['--error-color', '--error'],
];

function parentRoot(): { root: HTMLElement; view: Window } | undefined {
  try {
    if (window.parent === window) return undefined;
    const view = window.parent;
    // Throws a SecurityError when the parent is another origin.
    const root = view.document.documentElement;
    return { root, view };
  } catch {
    return undefined;
  }
}

/** Whether a CSS colour is dark (relative luminance below one half), read through the browser. */
function isDark(color: string): boolean {
  const probe = document.createElement('span');
  probe.style.color = color;
  document.body.append(probe);
  const rgb =
    getComputedStyle(probe)
      .color.match(/\d+(\.\d+)?/g)
      ?.map(Number) ?? [];
  probe.remove();
  const [r = 255, g = 255, b = 255] = rgb;
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 < 0.5;
}

function apply(parent: { root: HTMLElement; view: Window }): void {
  const theirs = parent.view.getComputedStyle(parent.root);
  const ours = document.documentElement.style;
  let found = false;
  for (const [ha, name] of VARIABLES) {
    const value = theirs.getPropertyValue(ha).trim();
    if (value) {
      ours.setProperty(name, value);
      found = true;
    } else {
      ours.removeProperty(name);
    }
  }
  const background = theirs.getPropertyValue('--primary-background-color').trim();
  if (!found || !background) {
    ours.removeProperty('color-scheme');
    delete document.documentElement.dataset.haTheme;
    return;
  }
  const dark = isDark(background);
  ours.setProperty('color-scheme', dark ? 'dark' : 'light');
  document.documentElement.dataset.haTheme = dark ? 'dark' : 'light';
}

/** Follows Home Assistant's theme while framed by it, also when the user switches theme. */
export function followHomeAssistantTheme(): void {
  const parent = parentRoot();
  if (!parent) return;
  apply(parent);
  // An observer of this window may watch the parent's nodes (same origin).
  const observer = new MutationObserver(() => apply(parent));
  observer.observe(parent.root, { attributes: true, attributeFilter: ['style', 'class'] });
  observer.observe(parent.view.document.body, { attributes: true, attributeFilter: ['class'] });
}
