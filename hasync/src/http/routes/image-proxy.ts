import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PictureTokens } from '../../access/picture-tokens.ts';
import type { DeviceService } from '../../pairing/device-service.ts';

/** Home Assistant's image proxies that `entity_picture` URLs point at. */
const KINDS = ['camera_proxy', 'camera_proxy_stream', 'media_player_proxy', 'image_proxy'];
/** Response headers passed on from Home Assistant; everything else is HAsync's. */
const PASSED_HEADERS = ['content-type', 'cache-control', 'content-length'];

export interface ImageProxyDeps {
  readonly pictures: PictureTokens;
  readonly devices: DeviceService;
  /** The entity ids a device may see. */
  scopeOf(device: NonNullable<ReturnType<DeviceService['authenticate']>>): ReadonlySet<string>;
  /** A GET on Home Assistant's HTTP API with HAsync's own token. */
  fetchHttp(path: string, signal?: AbortSignal): Promise<Response>;
}

/** A picture token for this entity, or a device token whose scope holds it. */
function allowed(deps: ImageProxyDeps, req: FastifyRequest, entityId: string): boolean {
  const token = (req.query as { token?: unknown }).token;
  if (typeof token === 'string' && deps.pictures.verify(entityId, token)) return true;
  const header = req.headers.authorization ?? '';
  const device = header.startsWith('Bearer ')
    ? deps.devices.authenticate(header.slice(7).trim())
    : undefined;
  return (
    device !== undefined && deps.devices.access(device).ok && deps.scopeOf(device).has(entityId)
  );
}

async function proxy(deps: ImageProxyDeps, kind: string, req: FastifyRequest, reply: FastifyReply) {
  const entityId = (req.params as { entity_id: string }).entity_id;
  if (!allowed(deps, req, entityId)) {
    return reply.status(401).type('text/plain; charset=utf-8').send('401: Unauthorized');
  }
  const abort = new AbortController();
  req.raw.once('close', () => abort.abort());
  let upstream: Response;
  try {
    upstream = await deps.fetchHttp(`/api/${kind}/${encodeURIComponent(entityId)}`, abort.signal);
  } catch {
    return reply.status(502).type('text/plain; charset=utf-8').send('502: Bad Gateway');
  }
  reply.status(upstream.status);
  for (const name of PASSED_HEADERS) {
    const value = upstream.headers.get(name);
    if (value) reply.header(name, value);
  }
  if (!upstream.body) return reply.send();
  return reply.send(Readable.fromWeb(upstream.body as import('node:stream/web').ReadableStream));
}

/**
 * `/api/camera_proxy/<entity_id>` and its siblings on the device port: the pictures of entities in
 * a device's scope, fetched from Home Assistant with HAsync's token, so `entity_picture` works for
 * a device without it ever holding one of Home Assistant's access tokens.
 * HA: homeassistant/components/camera/__init__.py CameraView (and media_player, image)
 */
export function imageProxyRoutes(app: FastifyInstance, deps: ImageProxyDeps): void {
  for (const kind of KINDS) {
    app.get(`/api/${kind}/:entity_id`, (req, reply) => proxy(deps, kind, req, reply));
  }
}
