import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PairingRequest, PairingService } from '../../pairing/pairing-service.ts';
import { AREA_IDS, ENTITY_IDS, ID_PARAMS, ISO_WITH_ZONE, iso, NAME, TIME } from './api-schemas.ts';

export interface PairingRoutesDeps {
  readonly pairing: PairingService;
  /** The device listener's bound port, for `pair_url`. */
  readonly devicePort: () => number;
  /**
   * Where the device listener serves the kiosk client now: `/kiosk/` while Home Assistant's
   * frontend has `/`, else `/` (default `/`).
   */
  readonly kioskPath?: () => string;
  /** The base URL a device on the network opens (HASYNC_PUBLIC_URL, the Supervisor's, …). */
  readonly deviceUrl?: () => string;
}

const CREATE_SCHEMA = {
  summary: 'Create a pairing: a 6-digit PIN and a QR-code secret for one new device',
  tags: ['pairings'],
  body: {
    type: 'object',
    additionalProperties: false,
    properties: {
      name: NAME,
      areas: AREA_IDS,
      entities: ENTITY_IDS,
      expires_at: {
        type: 'string',
        pattern: ISO_WITH_ZONE,
        description: "a guest's end date: the paired device gets it (in the future, with a zone)",
      },
    },
  },
  response: {
    201: {
      type: 'object',
      required: ['id', 'pin', 'code', 'expires_at', 'pair_url'],
      properties: {
        id: { type: 'string' },
        pin: { type: 'string' },
        code: { type: 'string' },
        expires_at: TIME,
        pair_url: { type: 'string' },
      },
    },
  },
} as const;

const STATUS_SCHEMA = {
  summary: 'A pairing and whether it was used',
  tags: ['pairings'],
  params: ID_PARAMS,
  response: {
    200: {
      type: 'object',
      required: ['id', 'status', 'expires_at'],
      properties: {
        id: { type: 'string' },
        status: {
          type: 'string',
          enum: ['pending', 'completed', 'expired', 'cancelled', 'locked'],
        },
        device_id: { type: 'string' },
        expires_at: TIME,
        pin_locked: { type: 'boolean' },
      },
    },
  },
} as const;

const CANCEL_SCHEMA = {
  summary: 'Cancel a pending pairing',
  tags: ['pairings'],
  params: ID_PARAMS,
  response: { 204: { type: 'null' } },
} as const;

const HOST_PATTERN = /^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/;

/**
 * The kiosk client's address with the code in the fragment, which browsers never send to a
 * server, so the secret stays out of access logs. Without a known device address (see
 * upstream/device-address.ts) the host is the one the admin used.
 */
export function pairUrl(
  req: FastifyRequest,
  devicePort: number,
  code: string,
  kioskPath = '/',
): string {
  const forwarded = req.headers['x-forwarded-host'];
  const hostHeader = (Array.isArray(forwarded) ? forwarded[0] : forwarded) ?? req.host;
  const first = hostHeader.split(',')[0]?.trim() ?? '';
  const host = first.startsWith('[') ? first.slice(0, first.indexOf(']') + 1) : first.split(':')[0];
  const safeHost = host && HOST_PATTERN.test(host) ? host : 'homeassistant.local';
  return `http://${safeHost}:${devicePort}${kioskPath}#code=${code}`;
}

/** `POST /api/pairings`, `GET /api/pairings/:id`, `DELETE /api/pairings/:id`. */
export function pairingRoutes(app: FastifyInstance, deps: PairingRoutesDeps): void {
  app.post<{ Body: PairingRequest }>(
    '/api/pairings',
    { schema: CREATE_SCHEMA },
    async (req, reply) => {
      const offer = deps.pairing.create(req.body, req.actor);
      reply.status(201);
      return {
        ...offer,
        expires_at: iso(offer.expires_at),
        pair_url: deps.deviceUrl
          ? `${new URL((deps.kioskPath?.() ?? '/').slice(1), deps.deviceUrl())}#code=${offer.code}`
          : pairUrl(req, deps.devicePort(), offer.code, deps.kioskPath?.() ?? '/'),
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/pairings/:id',
    { schema: STATUS_SCHEMA },
    async (req) => {
      const state = deps.pairing.status(req.params.id);
      return {
        id: state.id,
        status: state.status,
        ...(state.device_id ? { device_id: state.device_id } : {}),
        expires_at: iso(state.expires_at),
        ...(state.pin_locked ? { pin_locked: true } : {}),
      };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/pairings/:id',
    { schema: CANCEL_SCHEMA },
    async (req, reply) => {
      deps.pairing.cancel(req.params.id, req.actor);
      reply.status(204);
    },
  );
}
