/**
 * The floor under HAsync's start-up and idle memory (`npm run bench`): the stack design section 2
 * chooses, set up as HAsync sets it up, doing nothing else. pino logging JSON; a node:sqlite
 * database in WAL mode; two Fastify instances (the admin and device listeners), each with a
 * `/api/health` route whose answer has a response schema and reads the database, and
 * @fastify/static serving a folder; @fastify/websocket on the device listener. Bundled and started
 * as the image starts HAsync (scripts/server-bundle.ts). Reads HASYNC_DATA_DIR,
 * HASYNC_ADMIN_PORT and HASYNC_DEVICE_PORT.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import fastifyStatic from '@fastify/static';
import websocket from '@fastify/websocket';
import Fastify from 'fastify';
import { pino } from 'pino';

const dataDir = process.env.HASYNC_DATA_DIR ?? '.';
const log = pino({ name: 'stack-floor' });
const db = new DatabaseSync(join(dataDir, 'stack-floor.db'));
db.exec('PRAGMA journal_mode = WAL; CREATE TABLE IF NOT EXISTS t (a INTEGER)');
const ping = db.prepare('SELECT 1 AS ok');
const site = join(dataDir, 'stack-floor-site');
mkdirSync(site, { recursive: true });
writeFileSync(join(site, 'index.html'), '<!doctype html><title>floor</title>');

const health = {
  schema: {
    response: {
      200: { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] },
    },
  },
};

/** Settles once both listeners serve (the bundle's entry keeps V8's compiled code then). */
export const started = (async () => {
  for (const [name, port] of [
    ['admin', process.env.HASYNC_ADMIN_PORT],
    ['device', process.env.HASYNC_DEVICE_PORT],
  ] as const) {
    const app = Fastify({ loggerInstance: log.child({ module: name }) });
    if (name === 'device') await app.register(websocket);
    await app.register(fastifyStatic, { root: site });
    app.get('/api/health', health, async () => ({ status: ping.get() ? 'ok' : 'error' }));
    await app.listen({ host: '127.0.0.1', port: Number(port ?? 0) });
  }
})();
