/** Minimal REST and WebSocket access to Home Assistant for the harness (Node 24 fetch/WebSocket). */

export class HaSocket {
  readonly #ws: WebSocket;
  #nextId = 1;
  readonly #pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.addEventListener('message', (event) => {
      const frame = JSON.parse(String(event.data)) as {
        id?: number;
        type: string;
        success?: boolean;
        result?: unknown;
        error?: { code: string; message: string };
      };
      if (frame.type !== 'result' || frame.id === undefined) return;
      const waiter = this.#pending.get(frame.id);
      if (!waiter) return;
      this.#pending.delete(frame.id);
      if (frame.success) waiter.resolve(frame.result);
      else waiter.reject(new Error(`${frame.error?.code}: ${frame.error?.message}`));
    });
    ws.addEventListener('close', () => {
      for (const waiter of this.#pending.values()) waiter.reject(new Error('socket closed'));
      this.#pending.clear();
    });
  }

  /** Connects to /api/websocket and completes the auth phase with an access token. */
  static async connect(baseUrl: string, token: string): Promise<HaSocket> {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/websocket`);
    const frames: { type: string; message?: string }[] = [];
    await new Promise<void>((resolve, reject) => {
      const onMessage = (event: MessageEvent) => {
        const frame = JSON.parse(String(event.data)) as { type: string; message?: string };
        frames.push(frame);
        if (frame.type === 'auth_required')
          ws.send(JSON.stringify({ type: 'auth', access_token: token }));
        else if (frame.type === 'auth_ok') {
          ws.removeEventListener('message', onMessage);
          resolve();
        } else reject(new Error(`websocket auth failed: ${JSON.stringify(frame)}`));
      };
      ws.addEventListener('message', onMessage);
      ws.addEventListener('error', () => reject(new Error('websocket error during auth')));
      ws.addEventListener('close', () => reject(new Error('websocket closed during auth')));
    });
    return new HaSocket(ws);
  }

  command<T>(type: string, fields: Record<string, unknown> = {}): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#ws.send(JSON.stringify({ id, type, ...fields }));
    });
  }

  close(): void {
    this.#ws.close();
  }
}

/** POSTs JSON (or a form when `form` is set) and returns the parsed answer; non-2xx throws. */
export async function post<T>(
  url: string,
  body: Record<string, unknown>,
  options: { form?: boolean } = {},
): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': options.form ? 'application/x-www-form-urlencoded' : 'application/json',
    },
    body: options.form
      ? new URLSearchParams(body as Record<string, string>).toString()
      : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${new URL(url).pathname}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}
