import { once } from 'node:events';
import WebSocket from 'ws';
import type { DemoHome } from '../../src/demo/demo-home.ts';
import { waitFor } from '../fakes/demo-home.ts';

/** A raw WebSocket client of the demo home that records every frame, arrays unpacked. */
export async function rawClient(home: DemoHome, token: string | null = 'tok') {
  const ws = new WebSocket(`${home.url.replace('http', 'ws')}/api/websocket`);
  const frames: Record<string, unknown>[] = [];
  const texts: string[] = [];
  ws.on('message', (data) => {
    texts.push(String(data));
    const parsed = JSON.parse(String(data)) as Record<string, unknown> | Record<string, unknown>[];
    frames.push(...(Array.isArray(parsed) ? parsed : [parsed]));
  });
  await once(ws, 'open');
  await waitFor(() => frames.length > 0, 'auth_required');
  if (token !== null) {
    ws.send(JSON.stringify({ type: 'auth', access_token: token }));
    await waitFor(() => frames.some((f) => f.type === 'auth_ok'), 'auth_ok');
  }
  const replies = (id: number) => frames.filter((f) => f.id === id && f.type !== 'event');
  const reply = async (id: number) => {
    await waitFor(() => replies(id).length > 0, `reply ${id}`);
    return replies(id)[0] as Record<string, unknown> & { error?: Record<string, unknown> };
  };
  const events = (id: number) =>
    frames.filter((f) => f.id === id && f.type === 'event').map((f) => f.event) as Record<
      string,
      unknown
    >[];
  return {
    ws,
    frames,
    texts,
    reply,
    events,
    send: (msg: unknown) => ws.send(JSON.stringify(msg)),
    /** Sends a command and waits for its result. */
    ask: async (msg: Record<string, unknown> & { id: number }) => {
      ws.send(JSON.stringify(msg));
      return reply(msg.id);
    },
  };
}
