import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the Supervisor's ingress: serves `target` below `prefix` (stripping it, as the
 * Supervisor does) on 127.0.0.1, and answers 404 to anything outside the prefix. Every path
 * asked for is recorded, so a test can prove the page never leaves the prefix.
 */
export async function startIngressProxy(target: string, prefix: string) {
  const paths: string[] = [];
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    paths.push(url);
    if (!url.startsWith(`${prefix}/`)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('outside the ingress prefix');
      return;
    }
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: url.slice(prefix.length),
        // As the Supervisor does: the host the browser used goes on as X-Forwarded-Host.
        headers: { ...req.headers, host: upstream.host, 'x-forwarded-host': req.headers.host },
      },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}/`,
    paths,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
