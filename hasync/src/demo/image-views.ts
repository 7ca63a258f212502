import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendPlain } from './http-replies.ts';
import type { RestHost } from './rest-views.ts';

/** A 1×1 transparent PNG: what the demo's cameras and media players show. */
const PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

const PROXY = /^\/api\/(camera_proxy|media_player_proxy)\/([^/]+)$/;

/** aiohttp's reason bodies for the statuses only these views give. */
const TEXT: Record<number, string> = {
  403: '403: Forbidden',
  503: '503: Service Unavailable',
};

function sendText(res: ServerResponse, status: 403 | 503): void {
  const body = Buffer.from(TEXT[status] ?? '', 'utf8');
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(body.length),
  });
  res.end(body);
}

function sendImage(res: ServerResponse, cache: boolean): void {
  res.writeHead(200, {
    'content-type': 'image/png',
    'content-length': String(PIXEL_PNG.length),
    ...(cache ? { 'cache-control': 'max-age=3600' } : {}),
  });
  res.end(PIXEL_PNG);
}

/**
 * Home Assistant's image views, which need no login (`requires_auth = False`) but a valid bearer
 * token or the entity's own access token in `?token=`:
 * HA: homeassistant/components/camera/__init__.py CameraView.get (unknown entity 404; bad
 * credentials 401 when an Authorization header was sent, else 403; camera off 503) and
 * homeassistant/components/media_player/__init__.py MediaPlayerImageView.get (unknown entity 404
 * when authenticated, else 401; bad token 401). Returns false for any other path.
 */
export function handleImageRequest(
  host: RestHost,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
  bearer: string | undefined,
): boolean {
  const found = PROXY.exec(path);
  if (!found || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  const [, kind, entityId = ''] = found;
  const authenticated = bearer !== undefined && host.userFor(bearer) !== undefined;
  const st = host.model.states.get(entityId);
  const isCamera = kind === 'camera_proxy';
  const domainOk = entityId.startsWith(isCamera ? 'camera.' : 'media_player.');
  const token = host.model.imageTokens.get(entityId);
  if (!st || !domainOk) {
    sendPlain(res, isCamera || authenticated ? 404 : 401);
    return true;
  }
  const tokenOk = token !== undefined && query.get('token') === token;
  if (!authenticated && !tokenOk) {
    if (isCamera && req.headers.authorization === undefined) sendText(res, 403);
    else sendPlain(res, 401);
    return true;
  }
  if (isCamera && st.state === 'off') {
    sendText(res, 503);
    return true;
  }
  sendImage(res, !isCamera);
  return true;
}
