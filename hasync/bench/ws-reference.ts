/**
 * The fan-out reference: a bare `ws` server that subscribes once to the demo home and
 * broadcasts every entities frame, unchanged but for the subscription id, to every client that
 * authenticated (any token) and subscribed. No scope, no queues: the floor HAsync is held to.
 * Usage: node bench/ws-reference.ts UPSTREAM_WS_URL TOKEN; prints its URL as one line.
 */
import WebSocket, { WebSocketServer } from 'ws';

const [upstreamUrl = '', token = ''] = process.argv.slice(2);
const clients = new Set<WebSocket>();
let snapshot = '';

const upstream = new WebSocket(upstreamUrl);
upstream.on('message', (data) => {
  const text = String(data);
  const msg = JSON.parse(text) as { type: string; event?: { a?: object } };
  if (msg.type === 'auth_required')
    upstream.send(JSON.stringify({ type: 'auth', access_token: token }));
  else if (msg.type === 'auth_ok')
    upstream.send(JSON.stringify({ id: 1, type: 'subscribe_entities' }));
  else if (msg.type === 'event' && msg.event?.a && !snapshot) snapshot = text;
  else if (msg.type === 'event') for (const c of clients) c.send(text);
});

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
process.on('SIGTERM', () => process.exit(0));
