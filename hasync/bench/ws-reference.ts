/**
 * The fan-out reference: a bare `ws` server that subscribes once to the demo home and
 * broadcasts every frame of entity changes, unchanged, to every client that authenticated (any
 * token) and subscribed. Like HAsync's upstream link (home-assistant-js-websocket) it asks the
 * demo home for coalesced frames, so one frame carries the changes of one tick; its clients (the
 * load client, as home-assistant-js-websocket) announce coalescing too. Upstream and clients use
 * subscription id 2, so frames pass untouched. No scope, no queues: the floor HAsync is held to.
 * Usage: node bench/ws-reference.ts UPSTREAM_WS_URL TOKEN; prints its URL as one line.
 */
import WebSocket, { WebSocketServer } from 'ws';

type Message = { type: string; id?: number; event?: { a?: object } };

const [upstreamUrl = '', token = ''] = process.argv.slice(2);
const clients = new Set<WebSocket>();
let snapshot = '';

const upstream = new WebSocket(upstreamUrl);
upstream.on('message', (data) => {
  const text = String(data);
  const parsed = JSON.parse(text) as Message | Message[];
  if (snapshot) {
    for (const c of clients) c.send(text);
    return;
  }
  for (const msg of Array.isArray(parsed) ? parsed : [parsed]) {
    if (msg.type === 'auth_required') {
      upstream.send(JSON.stringify({ type: 'auth', access_token: token }));
    } else if (msg.type === 'auth_ok') {
      upstream.send(
        JSON.stringify({ id: 1, type: 'supported_features', features: { coalesce_messages: 1 } }),
      );
      upstream.send(JSON.stringify({ id: 2, type: 'subscribe_entities' }));
    } else if (msg.type === 'event' && msg.event?.a) {
      snapshot = JSON.stringify(msg);
      listen();
    }
  }
});

/** Clients are served once the snapshot is in, so none is sent an empty one. */
function listen(): void {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/api/websocket' });
  server.on('connection', (ws) => {
    ws.send('{"type":"auth_required","ha_version":"reference"}');
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { type: string; id?: number };
      if (msg.type === 'auth') ws.send('{"type":"auth_ok","ha_version":"reference"}');
      else if (msg.type === 'subscribe_entities') {
        ws.send(JSON.stringify({ id: msg.id, type: 'result', success: true, result: null }));
        ws.send(snapshot);
        clients.add(ws);
      }
    });
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => clients.delete(ws));
  });
  server.on('listening', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    process.stdout.write(`ws-reference listening on ws://127.0.0.1:${port}/api/websocket\n`);
  });
}

process.on('SIGTERM', () => process.exit(0));
