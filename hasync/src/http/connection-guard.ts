import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { clientKey } from '../shared/client-address.ts';
import type { Logger } from '../shared/logger.ts';

/**
 * Caps on connections that have not (yet) become a WebSocket: while a connection is sending its
 * request, waiting for its answer or idling in keep-alive, it counts against its client address
 * and against the listener. An upgraded WebSocket leaves the count; the gateway's own limits
 * (authentication deadline, sessions per device, `max_devices`) govern it from there.
 */
export interface ConnectionLimits {
  /** HTTP connections one client (IPv4 address, IPv6 /64) may hold at once. */
  readonly perClient: number;
  /** HTTP connections the listener holds at once, all clients together. */
  readonly total: number;
  /** Every socket, WebSockets included: Node refuses more (`server.maxConnections`). */
  readonly hardMax: number;
  /** Clients exempt from `perClient` (the Supervisor's ingress proxy carries every admin). */
  readonly exempt?: (address: string) => boolean;
}

/** The device listener: a browser opens ≤ 6 connections per host; WebSockets are not counted. */
export const DEVICE_CONNECTION_LIMITS: ConnectionLimits = {
  perClient: 32,
  total: 1024,
  hardMax: 8192,
};

/** The admin listener: a handful of people, normally all through one ingress proxy. */
export const ADMIN_CONNECTION_LIMITS: ConnectionLimits = {
  perClient: 32,
  total: 256,
  hardMax: 1024,
};

/** How often a refused-connection summary may be logged, so a flood cannot flood the log. */
const REFUSAL_LOG_INTERVAL_MS = 10_000;
const REFUSAL_BODY = JSON.stringify({
  error: { code: 'unavailable', message: 'too many connections; retry later' },
});
const REFUSAL =
  'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 5\r\n' +
  `Content-Type: application/json\r\nContent-Length: ${REFUSAL_BODY.length}\r\n\r\n${REFUSAL_BODY}`;

export interface ConnectionCounts {
  /** HTTP connections counted now (upgraded sockets not included). */
  readonly open: number;
  /** Connections refused since start. */
  readonly refused: number;
}

/** Installs the caps on `server`; returns a reader of the current counts (for tests and logs). */
export function guardConnections(
  server: Server,
  limits: ConnectionLimits,
  log: Logger,
): () => ConnectionCounts {
  const perClient = new Map<string, number>();
  const counted = new WeakMap<Socket, string>();
  let open = 0;
  let refused = 0;
  let unlogged = 0;
  let lastLog = 0;
  server.maxConnections = limits.hardMax;

  const release = (socket: Socket) => {
    const key = counted.get(socket);
    if (key === undefined) return;
    counted.delete(socket);
    open--;
    const left = (perClient.get(key) ?? 1) - 1;
    if (left > 0) perClient.set(key, left);
    else perClient.delete(key);
  };
  const refuse = (socket: Socket, key: string) => {
    refused++;
    unlogged++;
    socket.end(REFUSAL);
    socket.destroySoon();
    const now = Date.now();
    if (now - lastLog < REFUSAL_LOG_INTERVAL_MS) return;
    lastLog = now;
    log.warn({ client: key, refused: unlogged, open }, 'connections refused: limit reached');
    unlogged = 0;
  };

  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const key = clientKey(address);
    const mine = perClient.get(key) ?? 0;
    const capped = !limits.exempt?.(address) && mine >= limits.perClient;
    if (capped || open >= limits.total) {
      refuse(socket, key);
      return;
    }
    counted.set(socket, key);
    perClient.set(key, mine + 1);
    open++;
    socket.once('close', () => release(socket));
  });
  server.on('upgrade', (_req, socket: Socket) => release(socket));
  return () => ({ open, refused });
}
