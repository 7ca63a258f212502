import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FrontendFile, FrontendFiles } from '../../upstream/frontend-files.ts';
import { errorBody } from '../errors.ts';
import { CONTENT_SECURITY_POLICY } from '../security-headers.ts';

/** Where the kiosk client lives when Home Assistant's frontend has `/`. */
export const KIOSK_PATH = '/kiosk/';

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The panel paths Home Assistant's IndexView answers with the index page (built-in panels of
 * 2024.3; the frontend routes them itself, and the WebSocket decides what each one shows).
 * HA: homeassistant/components/frontend/__init__.py IndexView.resolve, async_register_built_in_panel
 * calls in lovelace, config, history, logbook, map, energy, todo, calendar, media_source, mailbox,
 * my and hassio.
 */
export const PANEL_PATHS = [
  'lovelace',
  'profile',
  'history',
  'logbook',
  'map',
  'energy',
  'todo',
  'calendar',
  'media-browser',
  'mailbox',
  'config',
  'developer-tools',
  'hassio',
  '_my_redirect',
] as const;

/**
 * A dashboard's url_path as Home Assistant allows it: it must contain a hyphen (HA:
 * components/lovelace/dashboard.py DashboardsCollection._process_create_data), which no built-in
 * panel path does.
 */
const DASHBOARD_URL_PATH = /^\w+(?:-\w+)+$/;

/** Folders of static files HA serves without auth (`register_static_path` in frontend/http). */
const FILE_FOLDERS = ['frontend_latest', 'frontend_es5', 'static', 'local'] as const;

/** Single files at the root: the service worker (both names frontends have used), manifest, robots. */
const ROOT_FILES = [
  'service_worker.js',
  'sw-modern.js',
  'sw-legacy.js',
  'manifest.json',
  'robots.txt',
] as const;

/** Paths forwarded upstream: plain segments only, no `..`, no escapes, no query. */
const SAFE_PATH = /^\/(?:[\w-][\w.-]*\/)*[\w-][\w.-]*$/;

/**
 * The CSP of the frontend's pages: like HAsync's own, but the index's inline scripts run (each
 * allowed by its hash, not `unsafe-inline`), and brand icons may come from Home Assistant's site.
 */
export function frontendContentSecurityPolicy(html: string): string {
  const hashes = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)]
    .map((match) => match[1] ?? '')
    .filter((source) => source.length > 0)
    .map((source) => `'sha256-${createHash('sha256').update(source).digest('base64')}'`);
  return CONTENT_SECURITY_POLICY.replace(
    "script-src 'self'",
    ['script-src', "'self'", ...new Set(hashes)].join(' '),
  ).replace(
    "img-src 'self' data: blob:",
    "img-src 'self' data: blob: https://brands.home-assistant.io",
  );
}

/** The request's path if it is plain segments only (SAFE_PATH, no `..`); undefined otherwise. */
function plainPath(req: FastifyRequest): string | undefined {
  const path = req.url.split('?')[0] ?? '';
  return SAFE_PATH.test(path) && !path.split('/').includes('..') ? path : undefined;
}

function acceptsGzip(req: FastifyRequest): boolean {
  return /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
}

/** Sends an upstream file as it came, gunzipped only for a client that cannot take gzip. */
function sendFile(req: FastifyRequest, reply: FastifyReply, file: FrontendFile, cache: string) {
  reply.status(file.status);
  if (file.contentType) reply.header('content-type', file.contentType);
  reply.header('cache-control', cache);
  reply.header('vary', 'accept-encoding');
  if (file.encoding === 'gzip' && acceptsGzip(req)) {
    reply.header('content-encoding', 'gzip');
    return reply.send(file.body);
  }
  return reply.send(file.encoding === 'gzip' ? gunzipSync(file.body) : file.body);
}

function unavailable(reply: FastifyReply, what: string) {
  return reply
    .status(502)
    .send(errorBody('upstream_unavailable', `Home Assistant did not answer for ${what}`));
}

/**
 * Home Assistant's own frontend on the device port, its files fetched from Home Assistant and
 * never modified: `/` and the panel paths (the index, never cached), the build folders (hashed
 * files cached for good), the service worker, manifest and robots.txt. While Home Assistant
 * serves no frontend, `/` sends the browser to the kiosk and the rest answers 404.
 * `/auth/*` and `/api/*` are not here: HAsync answers them itself.
 */
export function haFrontendRoutes(app: FastifyInstance, files: FrontendFiles): void {
  const index = async (req: FastifyRequest, reply: FastifyReply) => {
    if (!(await files.probeIfStale())) {
      if (req.url === '/' || req.url.startsWith('/?')) return reply.redirect(KIOSK_PATH, 302);
      return reply.callNotFound();
    }
    let page: FrontendFile;
    try {
      page = await files.index();
    } catch {
      return unavailable(reply, 'the frontend');
    }
    if (page.status !== 200) return reply.redirect(KIOSK_PATH, 302);
    const html = (page.encoding === 'gzip' ? gunzipSync(page.body) : page.body).toString('utf8');
    reply.header('content-security-policy', frontendContentSecurityPolicy(html));
    return sendFile(req, reply, page, 'no-cache');
  };
  app.get('/', index);
  for (const panel of PANEL_PATHS) {
    app.get(`/${panel}`, index);
    app.get(`/${panel}/*`, index);
  }
  // A household dashboard's own path (a bookmark from before the tablet was paired): the index,
  // whose router has no panel for it and shows the device's default dashboard instead. Home
  // Assistant is not asked whether such a dashboard exists, so the answer tells nothing of it.
  const dashboardPath = async (req: FastifyRequest, reply: FastifyReply) => {
    const { dashboard } = req.params as { dashboard: string };
    return plainPath(req) && DASHBOARD_URL_PATH.test(dashboard)
      ? index(req, reply)
      : reply.callNotFound();
  };
  app.get('/:dashboard', dashboardPath);
  app.get('/:dashboard/*', dashboardPath);

  const file = async (req: FastifyRequest, reply: FastifyReply) => {
    const path = plainPath(req);
    if (!files.served() || !path) return reply.callNotFound();
    let found: FrontendFile;
    try {
      found = await files.file(path);
    } catch {
      return unavailable(reply, path);
    }
    if (found.status !== 200) return reply.callNotFound();
    return sendFile(
      req,
      reply,
      found,
      found.immutable ? IMMUTABLE : (found.cacheControl ?? 'no-cache'),
    );
  };
  for (const folder of FILE_FOLDERS) app.get(`/${folder}/*`, file);
  for (const name of ROOT_FILES) app.get(`/${name}`, file);
}
