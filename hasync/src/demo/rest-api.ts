import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendPlain } from './http-replies.ts';
import { handleImageRequest } from './image-views.ts';
import type { RestHost, View } from './rest-views.ts';
import * as views from './rest-views.ts';

/** A Home Assistant view's URL: `{name}` matches one path segment, as aiohttp's resources do. */
interface Route {
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly methods: Readonly<Record<string, View>>;
}

function route(url: string, methods: Record<string, View>): Route {
  const names: string[] = [];
  const source = url.replace(/\{(\w+)\}/g, (_m, name: string) => {
    names.push(name);
    return '([^{}/]+)';
  });
  return { pattern: new RegExp(`^${source}$`), names, methods };
}

/**
 * The views of homeassistant/components/api/__init__.py that the demo home models, by URL. Not
 * modelled (404 here): `/api/stream`, `/api/events`, `/api/events/{type}`, `/api/template`,
 * `/api/error_log` and other integrations' views.
 */
const ROUTES: readonly Route[] = [
  route('/api/', { GET: views.apiStatus }),
  route('/api/core/state', { GET: views.coreState }),
  route('/api/config', { GET: views.config }),
  route('/api/states', { GET: views.states }),
  route('/api/states/{entity_id}', {
    GET: views.entityState,
    POST: views.setEntityState,
    DELETE: views.removeEntityState,
  }),
  route('/api/services', { GET: views.services }),
  route('/api/services/{domain}/{service}', { POST: views.callService }),
  route('/api/components', { GET: views.components }),
];

/**
 * HA: homeassistant/components/http/auth.py `async_validate_auth_header` — only
 * `Authorization: Bearer <token>` (signed paths are not modelled).
 */
function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const space = header.indexOf(' ');
  if (space < 0 || header.slice(0, space) !== 'Bearer') return undefined;
  return header.slice(space + 1);
}

function match(path: string): { route: Route; params: Record<string, string> } | undefined {
  for (const candidate of ROUTES) {
    const found = candidate.pattern.exec(path);
    if (!found) continue;
    const params: Record<string, string> = {};
    candidate.names.forEach((name, i) => {
      params[name] = found[i + 1] ?? '';
    });
    return { route: candidate, params };
  }
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function decodedPath(url: string): string | undefined {
  try {
    return decodeURIComponent(url);
  } catch {
    return undefined;
  }
}

/**
 * Home Assistant's REST API (homeassistant/components/api/__init__.py) as aiohttp serves it: the
 * route decides first (an unknown path is 404, a known one with another method 405 with
 * `Allow`, both before any token is looked at), then the view asks for a valid bearer token
 * (helpers/http.py `request_handler_factory`: 401), then answers.
 */
export async function handleRestRequest(
  host: RestHost,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://demo.invalid');
  const path = decodedPath(url.pathname);
  if (path !== undefined) {
    if (handleImageRequest(host, req, res, path, url.searchParams, bearerToken(req))) return;
  }
  const found = path === undefined ? undefined : match(path);
  if (!found) return sendPlain(res, 404);
  const view = found.route.methods[req.method ?? 'GET'];
  if (!view) return sendPlain(res, 405, [...Object.keys(found.route.methods), 'OPTIONS']);
  const token = bearerToken(req);
  const user = token === undefined ? undefined : host.userFor(token);
  if (!user) return sendPlain(res, 401);
  const body = await readBody(req);
  view({ host, user, params: found.params, query: url.searchParams, body, res });
}
