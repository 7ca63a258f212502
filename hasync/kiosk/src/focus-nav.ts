/** The arrow keys a TV remote sends, and the direction each moves in. */
const DIRECTIONS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

interface Box {
  readonly el: HTMLElement;
  readonly x: number;
  readonly y: number;
}

const centre = (el: HTMLElement): Box => {
  const r = el.getBoundingClientRect();
  return { el, x: r.left + r.width / 2, y: r.top + r.height / 2 };
};

/**
 * The nearest target in the direction of `[dx, dy]` from `from`: ahead of it along that axis,
 * with sideways distance counting double, so Down goes to the tile below rather than the next one
 * along a row.
 */
export function nearest(from: Box, targets: readonly Box[], [dx, dy]: [number, number]) {
  let best: Box | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const t of targets) {
    if (t.el === from.el) continue;
    const ahead = (t.x - from.x) * dx + (t.y - from.y) * dy;
    if (ahead <= 1) continue;
    const aside = Math.abs((t.x - from.x) * dy) + Math.abs((t.y - from.y) * dx);
    const score = ahead + 2 * aside;
    if (score < bestScore) {
      bestScore = score;
      best = t;
    }
  }
  return best?.el;
}

/**
 * TV-remote navigation: the arrow keys move the focus between the tiles' main buttons and their
 * controls' buttons (spatially, as a remote's D-pad expects), Enter acts on the focused one. A
 * slider keeps its arrows (they change its value), and an open dialog keeps the keys to itself.
 */
export function spatialFocus(root: ParentNode = document): void {
  document.addEventListener('keydown', (event) => {
    const direction = DIRECTIONS[event.key];
    if (!direction || event.altKey || event.ctrlKey || event.metaKey) return;
    if (document.querySelector('dialog[open]')) return;
    const active = document.activeElement;
    if (active instanceof HTMLInputElement || active instanceof HTMLSelectElement) return;
    const targets = [...root.querySelectorAll<HTMLElement>('.tile button:not([disabled])')].filter(
      (el) => el.offsetParent !== null,
    );
    if (targets.length === 0) return;
    event.preventDefault();
    const from = active instanceof HTMLElement && targets.includes(active) ? active : undefined;
    const next = from ? nearest(centre(from), targets.map(centre), direction) : targets[0];
    if (!next) return;
    next.focus();
    next.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  });
}
