import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { callService, getStates } from 'home-assistant-js-websocket';
import { connectDevice } from '../helpers/devices.ts';
import { createPairing, pair, requestJson } from '../helpers/json-http.ts';
import { type RunningServer, spawnServer } from '../helpers/process.ts';
import { RawSocket } from '../helpers/raw-socket.ts';
import { tempDir } from '../helpers/tmp.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const MAIN = join(ROOT, 'src', 'main.ts');

let dir: string;
let cleanup: () => void;
before(() => {
  ({ dir, cleanup } = tempDir('hasync-secrets-'));
});
after(() => cleanup());

/** Pairs with the PIN and with the code, uses both tokens everywhere, then revokes. */
async function fullRun(server: RunningServer, secrets: string[]): Promise<void> {
  const byPin = await createPairing(server.adminUrl, { areas: ['kitchen'] });
  const byCode = await createPairing(server.adminUrl, { areas: ['office'] });
  secrets.push(byPin.pin, byPin.code, byCode.pin, byCode.code, byPin.pair_url);
  await pair(server.deviceUrl, { pin: wrong(byCode.pin), name: 'Wrong guess' });
  const a = await pair(server.deviceUrl, { pin: byPin.pin, name: 'Kitchen tablet' });
  const b = await pair(server.deviceUrl, { code: byCode.code, name: 'Office phone' });
  secrets.push(a.body.token, b.body.token);
  const conn = await connectDevice(server.deviceUrl, a.body.token);
  await getStates(conn);
  await callService(conn, 'light', 'toggle', undefined, { entity_id: 'light.kitchen_ceiling' });
  await callService(conn, 'lock', 'unlock', undefined, { entity_id: 'lock.front_door' }).catch(
    () => undefined,
  );
  conn.close();
  const auth = { authorization: `Bearer ${b.body.token}` };
  await requestJson('GET', `${server.deviceUrl}/api/states`, undefined, auth);
  await requestJson(
    'POST',
    `${server.deviceUrl}/api/services/light/turn_on`,
    { entity_id: 'light.kitchen_ceiling' },
    auth,
  );
  await requestJson('DELETE', `${server.adminUrl}/api/devices/${b.body.device_id}`);
  await requestJson('GET', `${server.deviceUrl}/api/states`, undefined, auth);
  // The revoked token is refused on the socket too, and that refusal is logged.
  await assert.rejects(RawSocket.authenticated(server.deviceUrl, b.body.token), /auth_invalid/);
}

function wrong(pin: string): string {
  return pin === '000000' ? '000001' : '000000';
}

test('no token, PIN or code seen in a full run reaches the server process log', async () => {
  const server = await spawnServer(MAIN, {
    cwd: ROOT,
    env: { HASYNC_DATA_DIR: dir, HASYNC_LOG_LEVEL: 'trace' },
  });
  const secrets: string[] = [];
  try {
    await fullRun(server, secrets);
  } finally {
    await server.stop();
  }
  const log = server.output();
  // The run happened and was logged: pairing, connection and revocation.
  assert.match(log, /pair/i);
  assert.match(log, /revok/i);
  assert.ok(
    secrets.length >= 7 && secrets.every((s) => s.length >= 6),
    'every secret was captured',
  );
  for (const secret of secrets) assert.ok(!log.includes(secret), `a secret leaked into the log`);
});

/** Writes raw bytes to a listener and resolves with whatever comes back before it closes. */
function rawExchange(url: string, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = connect({ host: hostname, port: Number(port) });
    let reply = '';
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
    });
    socket.on('error', () => resolve(reply));
    socket.on('close', () => resolve(reply));
    socket.setTimeout(3000, () => socket.destroy());
    socket.end(bytes);
  });
}

/** Requests that HAsync refuses, each carrying secrets where a careless log would copy them. */
async function rejectedRequests(
  server: RunningServer,
  live: { pin: string; code: string },
  token: string,
): Promise<string[]> {
  const { pin, code } = live;
  const d = server.deviceUrl;
  const a = server.adminUrl;
  const statuses: string[] = [];
  const raw = async (url: string, bytes: string) => {
    statuses.push((await rawExchange(url, bytes)).split('\r\n')[0] ?? '');
  };
  // Unparseable HTTP: Node keeps the received bytes on the error (rawPacket).
  await raw(
    d,
    `POST /api/pair?code=${code} HTTP/1.1\r\nAuthorization: Bearer ${token}\r\nBroken header\r\n\r\n{"pin":"${pin}"}`,
  );
  await raw(
    a,
    `GET /api/devices?token=${token} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pin: ${pin}\r\n\u0001\r\n\r\n`,
  );
  await raw(
    d,
    `GET /api/states HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nX-Big: ${'y'.repeat(20_000)}${code}\r\n\r\n`,
  );
  await raw(
    d,
    `POST /api/pair HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n${token}`,
  );
  // Well-formed HTTP that the routes refuse.
  const json = (method: string, url: string, body: string, headers: Record<string, string> = {}) =>
    fetch(url, { method, body, headers: { 'content-type': 'application/json', ...headers } }).then(
      (r) => statuses.push(String(r.status)),
    );
  await json('POST', `${d}/api/pair`, `{"pin":"${pin}","code":"${code}","name":`);
  await json('POST', `${d}/api/pair`, JSON.stringify({ pin, code, name: 'both' }));
  await json('POST', `${d}/api/pair`, JSON.stringify({ code: `${code}!`, name: 'bad' }));
  await json('POST', `${d}/api/pair`, JSON.stringify({ pin, name: 'x'.repeat(70_000), token }));
  await json('POST', `${d}/api/services/light/turn_on?access_token=${token}`, '{}', {
    authorization: `Bearer ${token}x`,
  });
  await json('GET', `${d}/api/states/${token}?code=${code}&pin=${pin}`, '', {}).catch(
    () => undefined,
  );
  await requestJson('GET', `${d}/api/states/light.x?access_token=${token}`, undefined, {
    authorization: `Bearer ${token}`,
  }).then((r) => statuses.push(String(r.status)));
  await requestJson('GET', `${d}/no/such/${token}/${code}`).then((r) =>
    statuses.push(String(r.status)),
  );
  await requestJson('DELETE', `${a}/api/pairings/${code}?pin=${pin}`, undefined, {
    origin: 'http://evil.example',
  }).then((r) => statuses.push(String(r.status)));
  // The device socket: a wrong token, then a malformed frame carrying one.
  await assert.rejects(RawSocket.authenticated(d, token), /auth_invalid/);
  const socket = await RawSocket.open(d);
  socket.send(`{"type":"auth","access_token":"${token}",`);
  await socket.closed;
  return statuses;
}

test('no secret in a rejected or malformed request reaches the log at trace level', async () => {
  const server = await spawnServer(MAIN, {
    cwd: ROOT,
    env: { HASYNC_DATA_DIR: join(dir, 'rejected'), HASYNC_LOG_LEVEL: 'trace' },
  });
  const live = await createPairing(server.adminUrl, { areas: ['kitchen'] });
  const token = `hasync_${randomBytes(32).toString('base64url')}`;
  let statuses: string[];
  try {
    statuses = await rejectedRequests(server, live, token);
  } finally {
    await server.stop();
  }
  // Every request was refused, each in its own way.
  assert.ok(
    statuses.every((s) => !/ 2\d\d |^2\d\d$/.test(s)),
    `statuses ${statuses}`,
  );
  assert.ok(statuses.some((s) => s.includes('400')));
  assert.ok(statuses.some((s) => s.includes('431')));
  const log = server.output();
  for (const secret of [token, live.code, token.slice(7)]) {
    assert.ok(!log.includes(secret), 'a token or code from a rejected request leaked');
  }
  for (const form of [`"${live.pin}"`, `=${live.pin}`, `: ${live.pin}`, `/${live.pin}`]) {
    assert.ok(!log.includes(form), `the PIN leaked as ${form}`);
  }
  assert.ok(!log.includes('rawPacket'), 'no raw packet is logged');
  // The raw bytes must not appear encoded either (a Buffer logged as numbers).
  const asBytes = [...Buffer.from(token.slice(0, 12))].join(',');
  assert.ok(!log.includes(asBytes), 'the token leaked as bytes');
  assert.match(log, /malformed or late request refused/, 'the refusals were logged');
});
