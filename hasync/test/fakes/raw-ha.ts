import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/** One authenticated command as the fake received it. */
export type RawMessage = { id: number; type: string } & Record<string, unknown>;

/** How the fake answers one authenticated command: frames to send back (strings sent as is). */
export type Responder = (msg: RawMessage, connection: number) => string[];

/** A bare WebSocket server that authenticates anyone, then answers with whatever a test wants. */
export interface RawHomeAssistant {
  readonly url: string;
  connections: number;
  /** Every authenticated command received, over all connections, in order. */
  readonly received: RawMessage[];
  /** Sends a frame on the newest connection. */
  send(frame: string): void;
  /** Closes every connection from the server side. */
  dropConnections(): void;
  close(): Promise<void>;
}

export async function startRawHomeAssistant(
  respond: Responder,
  greeting = JSON.stringify({ type: 'auth_required', ha_version: '2025.1.0' }),
): Promise<RawHomeAssistant> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/api/websocket' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  let newest: WebSocket | undefined;
  const fake: RawHomeAssistant = {
    url: `http://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    connections: 0,
    received: [],
    send: (frame) => newest?.send(frame),
    dropConnections: () => {
      for (const client of wss.clients) client.terminate();
    },
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
  wss.on('connection', (ws: WebSocket) => {
    const n = ++fake.connections;
    newest = ws;
    ws.send(greeting);
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as RawMessage;
      if (msg.type === 'auth') {
        ws.send(JSON.stringify({ type: 'auth_ok', ha_version: '2025.1.0' }));
        return;
      }
      fake.received.push(msg);
      for (const frame of respond(msg, n)) ws.send(frame);
    });
  });
  return fake;
}

export function result(id: number, value: unknown): string {
  return JSON.stringify({ id, type: 'result', success: true, result: value });
}

export function errorResult(id: number, error: Record<string, unknown>): string {
  return JSON.stringify({ id, type: 'result', success: false, error });
}

/** An event frame for subscription `id`. */
export function eventFrame(id: number, event: unknown): string {
  return JSON.stringify({ id, type: 'event', event });
}

/**
 * A plausible answer to a command, as Home Assistant 2024.3 gives it: floors and labels are
 * `unknown_command` (they arrived in 2024.4), `ping` gets `pong`.
 */
export function okResult(msg: RawMessage): string {
  if (msg.type === 'ping') return JSON.stringify({ id: msg.id, type: 'pong' });
  if (msg.type === 'config/floor_registry/list' || msg.type === 'config/label_registry/list') {
    return errorResult(msg.id, { code: 'unknown_command', message: 'Unknown command.' });
  }
  const results: Record<string, unknown> = {
    get_config: { version: '2025.1.0', location_name: 'Fake', components: ['light'] },
    get_services: {},
    get_states: [],
    'config/area_registry/list': [],
    'config/device_registry/list': [],
    'config/entity_registry/list': [],
    'config/entity_registry/list_for_display': { entity_categories: {}, entities: [] },
  };
  return result(msg.id, results[msg.type] ?? null);
}

/** The id of the newest `subscribe_events` for `eventType` the fake received (to send events on). */
export function subscriptionId(fake: RawHomeAssistant, eventType: string): number {
  const sub = fake.received.findLast(
    (msg) => msg.type === 'subscribe_events' && msg.event_type === eventType,
  );
  if (!sub) throw new Error(`no subscription to ${eventType}`);
  return sub.id;
}

/** How many commands of `type` the fake received. */
export function countOf(fake: RawHomeAssistant, type: string): number {
  return fake.received.filter((msg) => msg.type === type).length;
}

/** An event as Home Assistant sends it: microsecond `+00:00` timestamps, a full context. */
export function haEvent(eventType: string, data: Record<string, unknown>, n = 1) {
  return {
    event_type: eventType,
    data,
    origin: 'LOCAL',
    time_fired: `2024-03-20T10:11:12.${String(100000 + n)}+00:00`,
    context: { id: `01HSCONTEXT${String(n).padStart(15, '0')}`, parent_id: null, user_id: null },
  };
}
