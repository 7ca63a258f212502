/** Line icons per domain (24×24, stroked), inline so the kiosk downloads no icon font. */
const PATHS: Record<string, string> = {
  light:
    'M9 18h6M10 21h4M12 3a6 6 0 0 0-4 10.5c.6.6 1 1.4 1 2.5h6c0-1.1.4-1.9 1-2.5A6 6 0 0 0 12 3z',
  switch: 'M12 3v9M6.3 6.3a8 8 0 1 0 11.4 0',
  input_boolean:
    'M3 12a5 5 0 0 1 5-5h8a5 5 0 0 1 0 10H8a5 5 0 0 1-5-5zM16 12m-2 0a2 2 0 1 0 4 0a2 2 0 1 0-4 0',
  fan: 'M12 10c0-4 1-7 4-7s2 5-2 7M14 12c4 0 7 1 7 4s-5 2-7-2M12 14c0 4-1 7-4 7s-2-5 2-7M10 12c-4 0-7-1-7-4s5-2 7 2',
  cover: 'M4 3h16M5 3v13h14V3M5 7h14M5 11h14M12 16v5',
  climate: 'M10 14V5a2 2 0 1 1 4 0v9a4 4 0 1 1-4 0zM12 17v-5',
  lock: 'M6 11h12v10H6zM8 11V7a4 4 0 1 1 8 0v4M12 15v2',
  media_player: 'M4 5h16v11H4zM9 20h6M10 8.5v4l3.5-2z',
  sensor: 'M4 16a8 8 0 1 1 16 0M12 16l4-5M4 20h16',
  binary_sensor:
    'M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12zM12 12m-3 0a3 3 0 1 0 6 0a3 3 0 1 0-6 0',
  sun: 'M12 12m-4 0a4 4 0 1 0 8 0a4 4 0 1 0-8 0M12 2v2M12 20v2M2 12h2M20 12h2M5 5l1.5 1.5M17.5 17.5L19 19M5 19l1.5-1.5M17.5 6.5L19 5',
  weather: 'M7 18a4 4 0 0 1-.5-8 6 6 0 0 1 11.5 1.5A3.5 3.5 0 0 1 17.5 18z',
  camera: 'M3 8h4l2-3h6l2 3h4v11H3zM12 13.5m-3.5 0a3.5 3.5 0 1 0 7 0a3.5 3.5 0 1 0-7 0',
  scene: 'M4 20h16M5 20V9l7-5 7 5v11M10 20v-5h4v5',
  script: 'M8 5v14l11-7z',
  alarm_control_panel: 'M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6zM9 12l2 2 4-4',
};
const FALLBACK = 'M12 12m-8 0a8 8 0 1 0 16 0a8 8 0 1 0-16 0';

/** An inline SVG icon for an entity's domain, hidden from screen readers (the name says it). */
export function domainIcon(domain: string): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'icon');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', PATHS[domain] ?? FALLBACK);
  svg.append(path);
  return svg;
}

/** Small action icons for buttons too narrow for words (HA's tile features use arrows too). */
const ACTIONS: Record<'up' | 'stop' | 'down', string> = {
  up: 'M12 19V5M5 12l7-7 7 7',
  stop: 'M7 7h10v10H7z',
  down: 'M12 5v14M5 12l7 7 7-7',
};

export function actionIcon(name: keyof typeof ACTIONS): SVGSVGElement {
  const svg = domainIcon('');
  svg.setAttribute('class', 'action-icon');
  svg.firstElementChild?.setAttribute('d', ACTIONS[name]);
  return svg;
}
