import { useEffect, useState } from 'react';

/** The screens; the route lives in the URL's hash so the page path never changes under ingress. */
export type Route =
  | { page: 'devices' }
  | { page: 'pair' }
  | { page: 'device'; id: string }
  | { page: 'activity' }
  | { page: 'status' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const [first, second] = parts;
  if (first === 'pair') return { page: 'pair' };
  if (first === 'activity') return { page: 'activity' };
  if (first === 'status') return { page: 'status' };
  if (first === 'devices' && second) return { page: 'device', id: decodeURIComponent(second) };
  return { page: 'devices' };
}

/** The `href` of a screen (hash only, so links stay relative to the page). */
export function routeHref(route: Route): string {
  if (route.page === 'device') return `#/devices/${encodeURIComponent(route.id)}`;
  return `#/${route.page}`;
}

export function navigate(route: Route): void {
  window.location.hash = routeHref(route);
}

/** The current screen, following hash changes. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
