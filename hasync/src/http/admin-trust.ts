import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Mode } from '../config/config.ts';
import { isLoopback } from '../config/config.ts';
import { HasyncError } from '../shared/errors.ts';
import { checkRequestOrigin, servedHostNames } from './request-origin.ts';

/** The Supervisor's address: every ingress request comes from it. */
export const INGRESS_PEER = '172.30.32.2';
/** Paths served to anyone who reaches the listener (the Supervisor's watchdog, probes). */
const OPEN_PATHS = new Set(['/api/health', '/health']);

export interface AdminTrustConfig {
  readonly mode: Mode;
  readonly adminToken: string | undefined;
  /** The admin listener's bind address: with loopback names, the `Host` values it accepts. */
  readonly adminBind?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is acting, for the audit log: the ingress user, `local`, or `admin-token`. */
    actor: string;
  }
}

/** The TCP peer's address (tests set it with `inject({ remoteAddress })`). */
export function peerAddress(req: FastifyRequest): string {
  return req.socket.remoteAddress ?? '';
}

/** True for the Supervisor's address, plain or IPv4-mapped. */
export function isIngressPeer(address: string): boolean {
  return address === INGRESS_PEER || address === `::ffff:${INGRESS_PEER}`;
}

/**
 * Decides who may use the admin listener (design section 3) and names the actor.
 * App mode: only ingress and loopback; the actor is the ingress user. Standalone/demo: loopback,
 * or any peer with `Authorization: Bearer <admin_token>` when one is configured.
 */
export function actorFor(req: FastifyRequest, config: AdminTrustConfig): string {
  const peer = peerAddress(req);
  if (config.mode === 'app') {
    if (isIngressPeer(peer)) return ingressUser(req);
    if (isLoopback(peer)) return 'local';
    throw new HasyncError(
      'forbidden',
      'the admin API is only served through Home Assistant ingress',
    );
  }
  if (isLoopback(peer)) return 'local';
  if (config.adminToken === undefined) {
    throw new HasyncError('forbidden', 'the admin API is only served to this machine');
  }
  if (!bearerMatches(req.headers.authorization, config.adminToken)) {
    throw new HasyncError('unauthorized', 'send Authorization: Bearer <admin_token>');
  }
  return 'admin-token';
}

/**
 * Installs the trust check on every admin route except the health probes: who the peer is
 * (actorFor), then whether the request names a host HAsync serves and, when it changes
 * something, comes from HAsync's own page (checkRequestOrigin: DNS rebinding, cross-site forms).
 */
export function adminTrust(app: FastifyInstance, config: AdminTrustConfig): void {
  const served = servedHostNames(config.adminBind);
  app.decorateRequest('actor', '');
  // A callback hook, not an async one: no promise and microtask per request (health probes).
  app.addHook('onRequest', (req, _reply, done) => {
    if (OPEN_PATHS.has(req.url.split('?')[0] ?? '')) return done();
    try {
      req.actor = actorFor(req, config);
      const viaIngress = config.mode === 'app' && isIngressPeer(peerAddress(req));
      checkRequestOrigin(req, served, viaIngress);
    } catch (err) {
      return done(err as Error);
    }
    done();
  });
}

function ingressUser(req: FastifyRequest): string {
  const name = header(req, 'x-remote-user-name');
  const id = header(req, 'x-remote-user-id');
  if (name && id) return `${name} (${id})`;
  return name ?? id ?? 'ingress';
}

function header(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text ? text.slice(0, 200) : undefined;
}

function bearerMatches(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer (.+)$/.exec(authorization ?? '');
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1]);
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
