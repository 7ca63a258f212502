import { hostname, networkInterfaces } from 'node:os';
import type { FastifyRequest } from 'fastify';
import { isLoopback } from '../config/config.ts';
import { HasyncError } from '../shared/errors.ts';

/** Methods that change something: their `Origin` must be the admin listener's own. */
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const WILDCARD_BINDS = new Set(['0.0.0.0', '::', '']);

/**
 * The host names the admin listener answers to when reached directly (not through ingress):
 * loopback names and addresses, the configured bind address, and — when bound to every
 * interface — this machine's addresses and name. Any other `Host` is a DNS-rebinding page
 * (a name the attacker controls, resolved to 127.0.0.1) and is refused.
 */
export function servedHostNames(adminBind: string | undefined): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '::1']);
  const bind = normalise(adminBind ?? '');
  if (!WILDCARD_BINDS.has(bind)) {
    names.add(bind);
    return names;
  }
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? []) names.add(normalise(entry.address));
  }
  const machine = normalise(hostname());
  if (machine) names.add(machine).add(`${machine}.local`);
  return names;
}

/** The host name of a `Host`-style value (`name:port`, `[v6]:port`), lower case, no final dot. */
export function hostNameOf(host: string): string {
  const text = host.trim().toLowerCase();
  if (text.startsWith('[')) return text.slice(1, text.indexOf(']'));
  return normalise(text.split(':')[0] ?? '');
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

function isServedName(name: string, served: Set<string>): boolean {
  return served.has(name) || name.endsWith('.localhost') || isLoopback(name);
}

function header(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Refuses (403) a request whose `Host` is not one HAsync serves, or a state-changing request
 * from another site (`Origin` not this host, `Sec-Fetch-Site: cross-site`). Ingress requests
 * carry the Host the person typed to reach Home Assistant (the Supervisor forwards it and has
 * already authenticated the session), so for them only the Origin rule applies. An Origin may
 * match the Host or the forwarded host.
 */
export function checkRequestOrigin(
  req: FastifyRequest,
  served: Set<string>,
  viaIngress: boolean,
): void {
  const host = header(req, 'host') ?? '';
  if (!viaIngress && !isServedName(hostNameOf(host), served)) {
    throw new HasyncError('forbidden', 'this Host is not an address HAsync serves');
  }
  if (!STATE_CHANGING.has(req.method)) return;
  if (header(req, 'sec-fetch-site') === 'cross-site') {
    throw new HasyncError('forbidden', 'cross-site requests may not change anything');
  }
  const origin = header(req, 'origin');
  if (origin === undefined) return;
  // A proxy in front (the Supervisor's ingress) names the host the browser used in
  // X-Forwarded-Host. A page on another site cannot set that header: it is not CORS-safelisted,
  // so the browser would ask first (preflight), and HAsync never allows it.
  const hosts = [host, header(req, 'x-forwarded-host') ?? ''];
  if (!sameHost(origin, hosts)) {
    throw new HasyncError('forbidden', 'cross-site requests may not change anything');
  }
}

function sameHost(origin: string, hosts: readonly string[]): boolean {
  if (!URL.canParse(origin)) return false;
  const { host } = new URL(origin);
  return hosts.some((h) => h.split(',')[0]?.trim().toLowerCase() === host.toLowerCase());
}
