// HA: homeassistant/components/auth/__init__.py websocket_sign_path; HA frontend 20240307.0
// src/data/camera.ts fetchThumbnailUrl (a camera card's picture: auth/sign_path, then <img src>).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Connection } from 'home-assistant-js-websocket';
import { connectDevice, pairDevice } from '../helpers/devices.ts';
import { startDemoServer, type TestServer } from '../helpers/hasync.ts';

let server: TestServer;
let conn: Connection;
let deviceId: string;

before(async () => {
  server = await startDemoServer();
  const device = await pairDevice(server.adminUrl, server.deviceUrl, {
    areas: ['kitchen'],
    entities: ['camera.office'],
  });
  deviceId = device.device_id;
  conn = await connectDevice(server.deviceUrl, device.token);
});
after(async () => {
  conn.close();
  await server.stop();
});

const sign = (path: string) =>
  conn.sendMessagePromise<{ path: string }>({ type: 'auth/sign_path', path });

async function refusal(path: string): Promise<unknown> {
  try {
    await sign(path);
  } catch (err) {
    return err;
  }
  assert.fail(`signed: ${path}`);
}

test("an in-scope camera's path is signed with the device's picture token, and loads", async () => {
  const { path } = await sign('/api/camera_proxy/camera.office');
  assert.match(
    path,
    new RegExp(`^/api/camera_proxy/camera\\.office\\?token=${deviceId}\\.[0-9a-f]{64}$`),
  );
  const image = await fetch(`${server.deviceUrl}${path}`);
  assert.equal(image.status, 200);
  assert.equal(image.headers.get('content-type'), 'image/png');
  // Query parameters the frontend adds are kept, the token added beside them.
  const sized = await sign('/api/camera_proxy/camera.office?width=200&height=100');
  assert.match(sized.path, /^\/api\/camera_proxy\/camera\.office\?width=200&height=100&token=/);
});

test('any other path, or a camera outside the scope, is refused and signs nothing', async () => {
  for (const path of [
    '/api/camera_proxy/camera.front_door',
    '/api/camera_proxy/camera.office/../camera.front_door',
    '/api/camera_proxy/camera.office#x',
    '/api/states',
    '/api/history/period',
    '/media/local/x.mp3',
    '/api/camera_proxy/',
    '/api/camera_proxy/%E0%A4%A',
  ])
    assert.deepEqual(await refusal(path), { code: 'unauthorized', message: 'Unauthorized' }, path);
  const picture = await fetch(`${server.deviceUrl}/api/camera_proxy/camera.front_door`);
  assert.equal(picture.status, 401);
});

test('a path without the required key is refused as Home Assistant refuses it', async () => {
  await assert.rejects(conn.sendMessagePromise({ type: 'auth/sign_path' }), {
    code: 'invalid_format',
  });
});
