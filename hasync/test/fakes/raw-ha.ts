import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/** How the fake answers one authenticated command: frames to send back (strings sent as is). */
export type Responder = (msg: { id: number; type: string }, connection: number) => string[];

/** A bare WebSocket server that authenticates anyone, then answers with whatever a test wants. */
export interface RawHomeAssistant {
  readonly url: string;
  connections: number;
  close(): Promise<void>;
}

export async function startRawHomeAssistant(
  respond: Responder,
  greeting = JSON.stringify({ type: 'auth_required', ha_version: '2025.1.0' }),
): Promise<RawHomeAssistant> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/api/websocket' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const fake: RawHomeAssistant = {
    url: `http://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    connections: 0,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
  wss.on('connection', (ws: WebSocket) => {
    const n = ++fake.connections;
    ws.send(greeting);
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { id: number; type: string };
      if (msg.type === 'auth') {
        ws.send(JSON.stringify({ type: 'auth_ok', ha_version: '2025.1.0' }));
        return;
      }
      for (const frame of respond(msg, n)) ws.send(frame);
    });
  });
  return fake;
}

/** A plausible success result for a command, so a link gets as far as a test needs. */
export function okResult(msg: { id: number; type: string }): string {
  const results: Record<string, unknown> = {
    get_config: { version: '2025.1.0', location_name: 'Fake' },
    get_services: {},
    'config/area_registry/list': [],
    'config/device_registry/list': [],
    'config/entity_registry/list': [],
  };
  return JSON.stringify({
    id: msg.id,
    type: 'result',
    success: true,
    result: results[msg.type] ?? null,
  });
}
