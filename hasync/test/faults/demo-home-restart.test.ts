import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  type Connection,
  callService,
  createConnection,
  createLongLivedTokenAuth,
  getStates,
} from 'home-assistant-js-websocket';
import { waitFor } from '../fakes/demo-home.ts';
import { connectDevice, pairDevice, watchEntities } from '../helpers/devices.ts';
import { startTestServer, type TestServer } from '../helpers/hasync.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const TOKEN = 'fault-test-upstream';
const LIGHT = 'light.living_room_floor_lamp';

let port: number;
let home: ChildProcess;
let server: TestServer;

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  return typeof address === 'object' && address ? address.port : 0;
}

/** The demo home as its own process, on a fixed port so HAsync can find it again. */
async function startHome(): Promise<ChildProcess> {
  const args = ['src/demo/cli.ts', '--port', String(port), '--rate', '0', '--token', TOKEN];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    out += c;
  });
  await waitFor(() => (out.includes('listening') ? true : undefined), 'the demo home to listen');
  return child;
}

async function homeState(entityId: string): Promise<string | undefined> {
  const auth = createLongLivedTokenAuth(`http://127.0.0.1:${port}`, TOKEN);
  const conn = await createConnection({ auth });
  const states = await getStates(conn);
  conn.close();
  return states.find((s) => s.entity_id === entityId)?.state;
}

before(async () => {
  port = await freePort();
  home = await startHome();
  server = await startTestServer({
    env: { HASYNC_HA_URL: `http://127.0.0.1:${port}`, HASYNC_HA_TOKEN: TOKEN },
  });
});
after(async () => {
  await server.stop();
  home.kill('SIGKILL');
});

test('after the demo home is killed and restarted, a connected device sees its state again', async () => {
  await waitFor(() => (server.hasync.cache.states().size > 50 ? true : undefined), 'the cache');
  const device = await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['living_room'] });
  const conn: Connection = await connectDevice(server.deviceUrl, device.token);
  const view = await watchEntities(conn);
  try {
    await callService(conn, 'light', 'turn_on', undefined, { entity_id: LIGHT });
    await waitFor(() => (view.current()[LIGHT]?.state === 'on' ? true : undefined), 'light on');

    home.kill('SIGKILL');
    await once(home, 'exit');
    // A fresh home starts from its seed, where this lamp is off: the device must follow it.
    home = await startHome();
    assert.equal(await homeState(LIGHT), 'off');
    await waitFor(
      () => (view.current()[LIGHT]?.state === 'off' ? true : undefined),
      'the device to see the restarted home',
      20_000,
    );
    await callService(conn, 'light', 'turn_on', undefined, { entity_id: LIGHT });
    await waitFor(() => (view.current()[LIGHT]?.state === 'on' ? true : undefined), 'on again');
    assert.equal(await homeState(LIGHT), 'on');
  } finally {
    view.stop();
    conn.close();
  }
});
