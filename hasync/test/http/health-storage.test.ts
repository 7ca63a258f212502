import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { stillServing } from '../helpers/attack.ts';
import { pairDevice } from '../helpers/devices.ts';
import { startDemoServer, type TestServer } from '../helpers/hasync.ts';
import { requestJson } from '../helpers/json-http.ts';
import { RawSocket } from '../helpers/raw-socket.ts';

// A database that stops taking writes, in-process: `query_only` makes every write fail with
// SQLite's "attempt to write a readonly database", as a read-only remount would (which Linux
// refuses while the database is open). test/faults/unwritable-data.test.ts fills a real disk.
let server: TestServer;

before(async () => {
  server = await startDemoServer();
});
after(async () => {
  server.hasync.db.run('PRAGMA query_only = OFF');
  await server.stop();
});

type Health = { status: string; db: string; reason?: string };

test('a read-only database never stops a revocation; health reports it until the revocation is saved', async () => {
  const bystander = await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['kitchen'] });
  const device = await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['kitchen'] });
  const socket = await RawSocket.authenticated(server.deviceUrl, device.token);
  server.hasync.db.run('PRAGMA query_only = ON');

  const res = await requestJson('DELETE', `${server.adminUrl}/api/devices/${device.device_id}`);
  assert.equal(res.status, 204);
  assert.equal(await socket.closed, 4001);
  await assert.rejects(RawSocket.authenticated(server.deviceUrl, device.token), /auth_invalid/);
  // Other devices still connect (recording when they were last seen fails quietly).
  await stillServing(server, bystander.token);

  const health = await requestJson<Health>('GET', `${server.adminUrl}/api/health`);
  assert.equal(health.status, 503);
  assert.equal(health.body.db, 'error');
  assert.match(String(health.body.reason), /readonly database/);
  assert.match(String(health.body.reason), /1 revocation is in force but not saved yet/);
  // Devices learn that storage is failing, not why nor how many revocations wait.
  const deviceHealth = await requestJson<Health>('GET', `${server.deviceUrl}/api/health`);
  assert.equal(deviceHealth.status, 503);
  assert.equal(deviceHealth.body.reason, undefined);
  // The revoked device no longer counts, though the disk has not taken the revocation yet.
  const before = await requestJson<{ devices: { total: number } }>(
    'GET',
    `${server.adminUrl}/api/status`,
  );
  assert.equal(before.body.devices.total, 1, 'only the bystander');
  // The watchdog's liveness check stays green, so the app is not restarted and loses nothing.
  const live = await requestJson('GET', `${server.adminUrl}/api/live`);
  assert.equal(live.status, 200);
  assert.ok(server.hasync.devices.unsavedRevocations() === 1);

  server.hasync.db.run('PRAGMA query_only = OFF');
  const deadline = Date.now() + 10_000;
  let status = 503;
  while (status !== 200 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    status = (await requestJson('GET', `${server.adminUrl}/api/health`)).status;
  }
  assert.equal(status, 200, 'healthy again once the revocation is saved');
  const row = server.hasync.db.get('SELECT id FROM devices WHERE id = ?', device.device_id);
  assert.equal(row, undefined, 'the device is deleted from the database');
  const audit = server.hasync.db.get<{ n: number }>(
    "SELECT count(*) AS n FROM audit_log WHERE action = 'device_revoked' AND device_id = ?",
    device.device_id,
  );
  assert.equal(audit?.n, 1, 'the revocation is audited once');
});
