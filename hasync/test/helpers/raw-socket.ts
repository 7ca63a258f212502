import { once } from 'node:events';
import WebSocket from 'ws';

/** A raw device socket that records every frame and the close code, for protocol-edge tests. */
export class RawSocket {
  readonly frames: Record<string, unknown>[] = [];
  readonly ws: WebSocket;
  closeCode: number | undefined;
  readonly closed: Promise<number>;

  constructor(deviceUrl: string) {
    this.ws = new WebSocket(`${deviceUrl.replace(/^http/, 'ws')}/api/websocket`);
    this.ws.on('message', (data) =>
      this.frames.push(JSON.parse(data.toString()) as Record<string, unknown>),
    );
    this.ws.on('error', () => undefined);
    this.closed = new Promise((resolve) => {
      this.ws.on('close', (code) => {
        this.closeCode = code;
        resolve(code);
      });
    });
  }

  static async open(deviceUrl: string): Promise<RawSocket> {
    const socket = new RawSocket(deviceUrl);
    await once(socket.ws, 'open');
    await socket.next((f) => f.type === 'auth_required');
    return socket;
  }

  /** Opens and authenticates; resolves with the auth reply's type. */
  static async authenticated(deviceUrl: string, token: string): Promise<RawSocket> {
    const socket = await RawSocket.open(deviceUrl);
    socket.send({ type: 'auth', access_token: token });
    const reply = await socket.next((f) => f.type === 'auth_ok' || f.type === 'auth_invalid');
    if (reply.type !== 'auth_ok') throw new Error(`auth refused: ${JSON.stringify(reply)}`);
    return socket;
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first recorded frame matching, waiting up to 5 s for it. */
  async next(
    match: (frame: Record<string, unknown>) => boolean,
    timeoutMs = 5000,
  ): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`no matching frame; got ${JSON.stringify(this.frames.slice(-5))}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  close(): void {
    this.ws.close();
  }
}
