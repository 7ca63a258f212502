import type { FastifyInstance } from 'fastify';
import type { EventBus } from '../../shared/bus.ts';
import type { HasyncEvents } from '../../shared/events.ts';

/** Bus events the admin UI receives, each as a named Server-Sent Event with a JSON payload. */
export const SSE_EVENTS = [
  'pairing_completed',
  'pairing_expired',
  'device_online',
  'device_offline',
  'device_updated',
  'device_revoked',
  'device_expired',
  'upstream',
] as const satisfies readonly (keyof HasyncEvents)[];

/** A comment line this often keeps proxies (ingress) from closing an idle stream. */
const KEEP_ALIVE_MS = 15_000;
/** How long a browser waits before reconnecting after the stream ends. */
const RETRY_MS = 3000;

export interface EventRoutesDeps {
  readonly bus: EventBus<HasyncEvents>;
  readonly keepAliveMs?: number;
}

const EVENTS_SCHEMA = {
  summary: `Server-Sent Events (text/event-stream): ${SSE_EVENTS.join(', ')}`,
  tags: ['events'],
  produces: ['text/event-stream'],
} as const;

/**
 * `GET /api/events`. Each stream subscribes to the bus under its own owner name and unsubscribes
 * when the client goes away; on shutdown every stream is ended first so closing never waits on one.
 */
export function eventRoutes(app: FastifyInstance, deps: EventRoutesDeps): void {
  const open = new Set<() => void>();
  let streams = 0;
  app.addHook('preClose', async () => {
    for (const close of [...open]) close();
  });

  app.get('/api/events', { schema: EVENTS_SCHEMA }, (_req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: ${RETRY_MS}\n: connected\n\n`);
    const owner = `sse-${++streams}`;
    for (const event of SSE_EVENTS) {
      deps.bus.on(owner, event, (payload) => {
        res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
      });
    }
    const keepAlive = setInterval(
      () => res.write(': keep-alive\n\n'),
      deps.keepAliveMs ?? KEEP_ALIVE_MS,
    );
    const close = () => {
      if (!open.delete(close)) return;
      clearInterval(keepAlive);
      deps.bus.off(owner);
      res.end();
    };
    open.add(close);
    res.on('close', close);
  });
}
