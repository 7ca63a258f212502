import type { FastifyInstance } from 'fastify';
import { KIOSK_PATH } from './ha-frontend.ts';
import { defaultBuildRoot, staticAppRoutes } from './web-ui.ts';

/** Where the built kiosk client is looked for: dist/kiosk (beside the bundle or in the tree). */
export function defaultKioskRoot(): string {
  return defaultBuildRoot('kiosk');
}

/**
 * Serves the kiosk web client at `/kiosk/` of the device listener, and also at `/` when `atRoot`
 * (demo mode: no Home Assistant frontend takes `/`). Its build uses relative asset URLs, so one
 * build works at both. It talks only to the device API (`POST /api/pair`, `/api/websocket`),
 * so it needs nothing from the admin side.
 */
export function kioskRoutes(
  app: FastifyInstance,
  root: string,
  { atRoot }: { atRoot: boolean },
): void {
  const what = 'the kiosk web client';
  app.get(KIOSK_PATH.slice(0, -1), async (_req, reply) => reply.redirect(KIOSK_PATH, 301));
  staticAppRoutes(app, root, what, { prefix: KIOSK_PATH });
  if (atRoot) staticAppRoutes(app, root, what, { decorateReply: false });
}
