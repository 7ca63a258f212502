/** One Server-Sent Event as received. */
export interface SseEvent {
  readonly event: string;
  readonly data: unknown;
}

/** A live `text/event-stream` read with a real streaming fetch. */
export interface SseClient {
  readonly status: number;
  readonly contentType: string | null;
  /** Resolves with the next event named `name` (earlier ones are kept); rejects after `ms`. */
  next(name: string, ms?: number): Promise<SseEvent>;
  /** Every event received so far. */
  received(): SseEvent[];
  /** Comment lines (keep-alives) received so far. */
  comments(): number;
  close(): void;
}

function parseBlock(block: string): SseEvent | 'comment' | undefined {
  let event = 'message';
  const data: string[] = [];
  let comment = false;
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) comment = true;
    else if (line.startsWith('event: ')) event = line.slice(7);
    else if (line.startsWith('data: ')) data.push(line.slice(6));
  }
  if (data.length > 0) return { event, data: JSON.parse(data.join('\n')) };
  return comment ? 'comment' : undefined;
}

/** Opens `url` as an event stream; resolves once the response headers have arrived. */
export async function openSse(
  url: string,
  headers: Record<string, string> = {},
): Promise<SseClient> {
  const abort = new AbortController();
  const res = await fetch(url, { headers, signal: abort.signal });
  const events: SseEvent[] = [];
  const taken = new Set<SseEvent>();
  let comments = 0;
  let wake: () => void = () => {};
  const pump = async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        const parsed = parseBlock(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (parsed === 'comment') comments++;
        else if (parsed) events.push(parsed);
        wake();
        end = buffer.indexOf('\n\n');
      }
    }
  };
  pump().catch(() => {});
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    received: () => [...events],
    comments: () => comments,
    close: () => abort.abort(),
    next: (name, ms = 2000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "${name}" event within ${ms} ms`)), ms);
        const check = () => {
          const found = events.find((e) => e.event === name && !taken.has(e));
          if (!found) return;
          taken.add(found);
          clearTimeout(timer);
          wake = () => {};
          resolve(found);
        };
        wake = check;
        check();
      }),
  };
}
