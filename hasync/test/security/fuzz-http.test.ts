import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { pairDevice } from '../helpers/devices.ts';
import { startDemoServer, type TestServer } from '../helpers/hasync.ts';

const CASES_PER_LISTENER = 2500;
const PARALLEL = 8;

let server: TestServer;
let token: string;
let deviceId: string;
before(async () => {
  server = await startDemoServer({ env: { HASYNC_LOG_LEVEL: 'warning' } });
  ({ token, device_id: deviceId } = await pairDevice(server.adminUrl, server.deviceUrl, {
    areas: ['kitchen'],
  }));
});
after(async () => {
  await server.stop();
});

/** mulberry32: the same cases every run, so a failure can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD = [
  '',
  '0',
  '-1',
  '%00',
  '..%2f..%2fetc',
  'ä',
  '%',
  '%zz',
  'a'.repeat(3000),
  '{}',
  'null',
  "'",
];
const PATHS = [
  '/api/pairings',
  '/api/pairings/{x}',
  '/api/devices',
  '/api/devices/{id}',
  '/api/devices/{x}',
  '/api/areas',
  '/api/entities?area={x}',
  '/api/audit?limit={x}',
  '/api/status',
  '/api/health',
  '/api/pair',
  '/api/',
  '/api/config',
  '/api/states',
  '/api/states/{x}',
  '/api/states/light.{x}',
  '/api/services/{x}/{x}',
  '/api/services/light/turn_on',
  '/api/websocket',
  '/{x}',
  '/api/{x}',
  '/api/devices/{id}/{x}',
  '//api//devices',
  '/api/states?{x}={x}',
];
const KEYS = [
  'name',
  'pin',
  'code',
  'areas',
  'entities',
  'excluded',
  'read_only',
  'type',
  'entity_id',
  'target',
  'limit',
];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function value(random: () => number, depth: number): unknown {
  const kind = Math.floor(random() * (depth > 2 ? 6 : 9));
  switch (kind) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return pick(random, [0, -1, 1e308, 0.5, 2 ** 53, Number.MAX_SAFE_INTEGER]);
    case 3:
      return pick(random, ODD);
    case 4:
      return 'x'.repeat(Math.floor(random() * 70_000));
    case 5:
      return String(Math.floor(random() * 1e6)).padStart(6, '0');
    case 6:
      return Array.from({ length: Math.floor(random() * 5) }, () => value(random, depth + 1));
    default: {
      const out: Record<string, unknown> = {};
      for (let i = Math.floor(random() * 5); i > 0; i--)
        out[random() < 0.7 ? pick(random, KEYS) : pick(random, ODD)] = value(random, depth + 1);
      return out;
    }
  }
}

interface Case {
  method: string;
  path: string;
  body: string | undefined;
  headers: Record<string, string>;
}

function makeCase(random: () => number): Case {
  const path = pick(random, PATHS)
    .replaceAll('{id}', deviceId)
    .replaceAll('{x}', () => encodeURIComponent(pick(random, ODD)) || 'x');
  const method = pick(random, ['GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'OPTIONS', 'HEAD']);
  const raw =
    random() < 0.1
      ? pick(random, ['{', '[1,', '"', 'nan', '\u0000', '{"a":1}{'])
      : JSON.stringify(value(random, 0));
  const body = method === 'GET' || method === 'HEAD' ? undefined : raw;
  const headers: Record<string, string> = {};
  if (body !== undefined)
    headers['content-type'] =
      random() < 0.85
        ? 'application/json'
        : pick(random, [
            'text/plain',
            'application/x-www-form-urlencoded',
            'application/json; charset=latin1',
          ]);
  if (random() < 0.5)
    headers.authorization = random() < 0.7 ? `Bearer ${token}` : `Bearer ${pick(random, ODD)}`;
  return { method, path, body, headers };
}

function send(base: string, c: Case): Promise<number> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: c.method,
        path: c.path,
        headers: c.headers,
        agent: false,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(c.body);
  });
}

const TRANSPORT_ERROR = -1;

async function fuzz(
  base: string,
  seed: number,
): Promise<{ failures: Map<string, number>; closed: number; total: number }> {
  const random = seeded(seed);
  // Never revoke the token the cases use: DELETE of the real device would end the fuzz early.
  const cases = Array.from({ length: CASES_PER_LISTENER }, () => makeCase(random)).filter(
    (c) => !(c.method === 'DELETE' && c.path === `/api/devices/${deviceId}`),
  );
  const failures = new Map<string, number>();
  let next = 0;
  let closed = 0;
  const worker = async () => {
    for (let i = next++; i < cases.length; i = next++) {
      const c = cases[i] as Case;
      // A refused connection (the server closing after a 4xx such as 414) is not a failure here;
      // only a 5xx or a dead server is.
      const status = await send(base, c).catch(() => TRANSPORT_ERROR);
      if (status === TRANSPORT_ERROR) closed++;
      if (status >= 500)
        failures.set(
          `${status} ${c.method} ${c.path.slice(0, 80)} ${String(c.body).slice(0, 80)}`,
          status,
        );
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return { failures, closed, total: cases.length };
}

test('thousands of random admin requests never get a 500 and the server keeps serving', async (t) => {
  const { failures, closed, total } = await fuzz(server.adminUrl, 1);
  t.diagnostic(`${total} cases, ${closed} closed by the server without a parsable reply`);
  assert.deepEqual([...failures.keys()].slice(0, 10), []);
  assert.equal((await fetch(`${server.adminUrl}/api/health`)).status, 200);
});

test('thousands of random device requests never get a 500 and the server keeps serving', async (t) => {
  const { failures, closed, total } = await fuzz(server.deviceUrl, 2);
  t.diagnostic(`${total} cases, ${closed} closed by the server without a parsable reply`);
  assert.deepEqual([...failures.keys()].slice(0, 10), []);
  assert.equal((await fetch(`${server.deviceUrl}/api/health`)).status, 200);
});
