import { readdirSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';

/** A slowloris connection: request headers one byte at a time, never finished. */
export interface SlowConnection {
  readonly socket: Socket;
  /** What the server sent, if anything (a 503 refusal or a 408 at the deadline). */
  received: string;
  /** Milliseconds from connecting until the server closed it; undefined while open. */
  closedAfterMs: number | undefined;
}

const HEAD = 'GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ';

/** Opens `count` slow connections from `localAddress` to 127.0.0.1:`port`. */
export function openSlowConnections(
  port: number,
  localAddress: string,
  count: number,
  byteEveryMs = 250,
): SlowConnection[] {
  return Array.from({ length: count }, () => {
    const t0 = Date.now();
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    const slow: SlowConnection = { socket, received: '', closedAfterMs: undefined };
    let sent = 0;
    const drip = setInterval(() => {
      if (!socket.destroyed && socket.writable) socket.write(HEAD[sent++] ?? 'a');
    }, byteEveryMs);
    socket.on('data', (chunk) => {
      slow.received += chunk.toString('latin1');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(drip);
      slow.closedAfterMs = Date.now() - t0;
    });
    return slow;
  });
}

export function stillOpen(connections: readonly SlowConnection[]): number {
  return connections.filter((c) => c.closedAfterMs === undefined).length;
}

export function closeAll(connections: readonly SlowConnection[]): void {
  for (const c of connections) c.socket.destroy();
}

/** Resident memory (MB) and open file descriptors of a process, from /proc. */
export function processUsage(pid: number): { rssMb: number; fds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb / 102.4) / 10, fds: readdirSync(`/proc/${pid}/fd`).length };
}
