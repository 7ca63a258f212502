/**
 * The throughput reference: a bare node:http server answering every request with the same JSON
 * HAsync's /api/health returns. Prints its URL as one line. Usage: node bench/http-reference.ts
 */
import { createServer } from 'node:http';

const BODY = JSON.stringify({
  status: 'ok',
  version: '0.1.0',
  uptime_s: 1,
  db: 'ok',
  homeassistant: 'demo',
});

const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  res.end(BODY);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`http-reference listening on http://127.0.0.1:${port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
