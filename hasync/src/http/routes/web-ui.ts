import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { errorBody } from '../errors.ts';

/** Hashed asset names change with their content, so browsers may keep them for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Where a built web app (`folder`: `web` or `kiosk`) is looked for: beside the bundle
 * (dist/server.mjs → dist/<folder>), else the source tree's `dist/<folder>` (running src/
 * directly, as `npm start` does).
 */
export function defaultBuildRoot(folder: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, folder), resolve(here, '../../../dist', folder)];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? (candidates[1] as string);
}

/** Where the built admin UI is looked for (dist/web, see defaultBuildRoot). */
export function defaultWebRoot(): string {
  return defaultBuildRoot('web');
}

/**
 * Serves a built single-page app from `root` at `prefix` (default `/`; index.html never cached,
 * hashed assets cached for good). Without a build there, the prefix answers 503 with a message
 * naming the remedy; `what` names the app in it. `decorateReply` is false for every
 * registration after the first on one instance.
 */
export function staticAppRoutes(
  app: FastifyInstance,
  root: string,
  what: string,
  { prefix = '/', decorateReply = true }: { prefix?: string; decorateReply?: boolean } = {},
): void {
  if (!existsSync(join(root, 'index.html'))) {
    app.get(prefix, async (_req, reply) =>
      reply
        .status(503)
        .send(errorBody('unavailable', `${what} is not built: run \`npm run build\` in hasync/`)),
    );
    return;
  }
  void app.register(fastifyStatic, {
    root,
    prefix,
    decorateReply,
    index: ['index.html'],
    wildcard: true,
    cacheControl: false,
    setHeaders: (reply, path) => {
      const name = path.replaceAll('\\', '/');
      reply.header('cache-control', name.includes('/assets/') ? IMMUTABLE : 'no-cache');
      reply.header('x-content-type-options', 'nosniff');
    },
  });
}

/** Serves the admin web UI from `root` at `/` (see staticAppRoutes). */
export function webUiRoutes(app: FastifyInstance, root: string): void {
  staticAppRoutes(app, root, 'the admin web UI');
}
