import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DENIAL_WINDOW_MS, DENIALS_RECORDED_PER_WINDOW } from '../../src/access/denials.ts';
import { countUpstreamCalls, errorOf, measured, stillServing } from '../helpers/attack.ts';
import { pairDevice } from '../helpers/devices.ts';
import { startDemoServer, type TestServer } from '../helpers/hasync.ts';
import { RawSocket } from '../helpers/raw-socket.ts';

let server: TestServer;
/** The server's clock runs this far ahead of the real one (to end a window without waiting). */
let offsetMs = 0;

before(async () => {
  server = await startDemoServer({ clock: { now: () => Date.now() + offsetMs } });
});
after(async () => {
  await server.stop();
});

const unlock = (id: number) => ({
  id,
  type: 'call_service',
  domain: 'lock',
  service: 'unlock',
  target: { entity_id: 'lock.front_door' },
});

function auditRows(deviceId: string) {
  return server.hasync.db
    .all<{ action: string; detail: string }>(
      'SELECT action, detail FROM audit_log WHERE device_id = ? ORDER BY id',
      deviceId,
    )
    .map((row) => ({
      action: row.action,
      detail: JSON.parse(row.detail) as Record<string, unknown>,
    }));
}

test('a flood of refused calls is audited and logged 20 times a minute, then counted in one summary', async (t) => {
  const bystander = await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['kitchen'] });
  const device = await pairDevice(server.adminUrl, server.deviceUrl, { areas: ['kitchen'] });
  const upstream = countUpstreamCalls(server);
  const perSocket = 150;
  try {
    await measured(
      '300 refused calls',
      (line) => t.diagnostic(line),
      async () => {
        const sockets = await Promise.all(
          [0, 1].map(() => RawSocket.authenticated(server.deviceUrl, device.token)),
        );
        for (const socket of sockets)
          for (let id = 1; id <= perSocket; id++) socket.send(unlock(id));
        for (const socket of sockets) {
          const last = await socket.next((f) => f.id === perSocket, 20_000);
          assert.equal(errorOf(last).code, 'unauthorized', 'every call is still refused');
          socket.close();
        }
      },
    );
    const rows = auditRows(device.device_id).filter((r) => r.action.startsWith('service_call'));
    assert.equal(rows.length, DENIALS_RECORDED_PER_WINDOW);
    const lines = server
      .logs()
      .split('\n')
      .filter((l) => l.includes(device.device_id) && l.includes('service call refused'));
    assert.equal(lines.length, DENIALS_RECORDED_PER_WINDOW);

    // The next refusal after the window closes it: one summary row and line, then a fresh window.
    offsetMs += DENIAL_WINDOW_MS;
    const socket = await RawSocket.authenticated(server.deviceUrl, device.token);
    socket.send(unlock(1));
    await socket.next((f) => f.id === 1);
    socket.close();
    const after = auditRows(device.device_id).filter((r) => r.action.startsWith('service_call'));
    const more = 2 * perSocket - DENIALS_RECORDED_PER_WINDOW;
    assert.deepEqual(after.at(-2), {
      action: 'service_calls_denied_summary',
      detail: { summary: `…and ${more} more refused calls`, suppressed: more, window_s: 60 },
    });
    assert.equal(after.at(-1)?.action, 'service_call_denied');
    assert.match(server.logs(), new RegExp(`…and ${more} more refused calls`));
    assert.equal(upstream.count(), 0, 'nothing reached Home Assistant');
  } finally {
    upstream.stop();
  }
  await stillServing(server, bystander.token);
});
