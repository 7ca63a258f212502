import type { FastifyInstance } from 'fastify';
import { defaultBuildRoot, staticAppRoutes } from './web-ui.ts';

/** Where the built kiosk client is looked for: dist/kiosk (beside the bundle or in the tree). */
export function defaultKioskRoot(): string {
  return defaultBuildRoot('kiosk');
}

/**
 * Serves the kiosk web client at `/` of the device listener. It talks only to the device API
 * (`POST /api/pair`, `/api/websocket`), so it needs nothing from the admin side.
 */
export function kioskRoutes(app: FastifyInstance, root: string): void {
  staticAppRoutes(app, root, 'the kiosk web client');
}
