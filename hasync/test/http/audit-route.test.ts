import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pairDevice } from '../helpers/devices.ts';
import { startTestServer, type TestServer } from '../helpers/hasync.ts';
import { requestJson } from '../helpers/json-http.ts';

interface Entry {
  id: number;
  action: string;
  device_id: string | null;
  device_name: string | null;
  detail: Record<string, unknown>;
}

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server?.stop();
});

const audit = async (query = '') =>
  (await requestJson<Entry[]>('GET', `${server.adminUrl}/api/audit${query}`)).body;

test('names each entry’s device as it is called now, and by its last name once revoked', async () => {
  const kept = await pairDevice(server.adminUrl, server.deviceUrl, { name: 'Hall panel' });
  const gone = await pairDevice(server.adminUrl, server.deviceUrl, { name: 'Old tablet' });
  const url = `${server.adminUrl}/api/devices/${gone.device_id}`;
  assert.equal((await requestJson('PATCH', url, { name: 'Attic tablet' })).status, 200);
  assert.equal((await requestJson('DELETE', url)).status, 204);

  const entries = await audit(`?device=${gone.device_id}`);
  assert.deepEqual(
    entries.map((e) => e.action),
    ['device_revoked', 'device_renamed', 'pairing_completed'],
  );
  assert.ok(entries.every((e) => e.device_name === 'Attic tablet'));
  assert.ok(entries.every((e) => e.device_id === gone.device_id));

  const all = await audit();
  const hall = all.find((e) => e.device_id === kept.device_id);
  assert.equal(hall?.device_name, 'Hall panel');
  assert.equal(all.find((e) => e.action === 'pairing_created')?.device_name, null);
});

test('pages through one device’s entries with before', async () => {
  const device = await pairDevice(server.adminUrl, server.deviceUrl, { name: 'Pager' });
  const url = `${server.adminUrl}/api/devices/${device.device_id}`;
  for (const name of ['Pager 2', 'Pager 3', 'Pager 4']) {
    assert.equal((await requestJson('PATCH', url, { name })).status, 200);
  }
  const first = await audit(`?device=${device.device_id}&limit=2`);
  assert.equal(first.length, 2);
  const rest = await audit(`?device=${device.device_id}&limit=10&before=${first[1]?.id}`);
  assert.deepEqual(
    rest.map((e) => e.action),
    ['device_renamed', 'pairing_completed'],
  );
  const empty = await requestJson<{ error: { code: string; message: string } }>(
    'GET',
    `${server.adminUrl}/api/audit?device=`,
  );
  assert.equal(empty.status, 400, 'an empty device id is refused');
  assert.equal(empty.body.error.code, 'invalid_input');
  assert.match(empty.body.error.message, /device/);
});
