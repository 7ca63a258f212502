import assert from 'node:assert/strict';
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
