import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PictureTokens } from '../../access/picture-tokens.ts';
import type { DeviceService } from '../../pairing/device-service.ts';
import { HasyncError } from '../../shared/errors.ts';
import type { DeviceRecord } from '../../storage/device-store.ts';

/** Home Assistant's image proxies that `entity_picture` URLs point at. */
const KINDS = ['camera_proxy', 'camera_proxy_stream', 'media_player_proxy', 'image_proxy'];
/** Response headers passed on from Home Assistant; everything else is HAsync's. */
const PASSED_HEADERS = ['content-type', 'cache-control', 'content-length'];

export interface ImageProxyDeps {
  readonly pictures: PictureTokens;
  readonly devices: DeviceService;
  /** The entity ids a device may see. */
  scopeOf(device: DeviceRecord): ReadonlySet<string>;
  /** A GET on Home Assistant's HTTP API with HAsync's own token. */
  fetchHttp(path: string, signal?: AbortSignal): Promise<Response>;
}

/** The device, unless it is unknown or revoked. */
function deviceById(devices: DeviceService, id: string): DeviceRecord | undefined {
  try {
    return devices.get(id);
  } catch (err) {
    if (err instanceof HasyncError && err.code === 'not_found') return undefined;
    throw err;
  }
}

/**
 * Whether the request may load this entity's picture, asked on every request: a picture token of
 * this entity, or a device token (header), whose device is not revoked, not past its end date,
 * inside its hours and still has the entity in its scope. A URL handed out before any of these
 * changed stops working at once.
 */
function allowed(deps: ImageProxyDeps, req: FastifyRequest, entityId: string): boolean {
  const token = (req.query as { token?: unknown }).token;
  const header = req.headers.authorization ?? '';
  let device: DeviceRecord | undefined;
  if (typeof token === 'string') {
    const deviceId = deps.pictures.deviceOf(entityId, token);
    device = deviceId === undefined ? undefined : deviceById(deps.devices, deviceId);
  }
  if (!device && header.startsWith('Bearer '))
    device = deps.devices.authenticate(header.slice(7).trim());
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
