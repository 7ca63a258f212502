import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loopbackAddress, requestFrom } from '../helpers/from-address.ts';
import { spawnServer } from '../helpers/process.ts';
import { tempDir } from '../helpers/tmp.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const MAIN = join(ROOT, 'src', 'main.ts');
const KILL_AFTER_ACKS = 60;

let dir: string;
let cleanup: () => void;
before(() => {
  ({ dir, cleanup } = tempDir('hasync-fault-kill-'));
});
after(() => cleanup());

interface Acked {
  pairings: string[];
  devices: string[];
}

/** One admin write (a pairing) and, every other time, a device pairing with its PIN. */
async function write(admin: string, device: string, n: number, acked: Acked): Promise<void> {
  const offer = await requestFrom(
    undefined,
    'POST',
    `${admin}/api/pairings`,
    '{"areas":["kitchen"]}',
  );
  if (offer.status !== 201) return;
  acked.pairings.push(String(offer.body?.id));
  if (n % 2 === 1) return;
  const body = JSON.stringify({ pin: offer.body?.pin, name: `Tablet ${n}` });
  const paired = await requestFrom(loopbackAddress(n), 'POST', `${device}/api/pair`, body);
  if (paired.status === 201) acked.devices.push(String(paired.body?.device_id));
}

/** Writes from 8 concurrent workers until the server dies; failed requests are not acknowledged. */
async function burst(admin: string, device: string, acked: Acked): Promise<void> {
  let n = 0;
  const worker = async () => {
    for (;;) {
      try {
        await write(admin, device, n++, acked);
      } catch {
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

test('kill -9 during a burst of admin writes loses no acknowledged pairing or device', async () => {
  const env = { HASYNC_DATA_DIR: dir, HASYNC_MAX_DEVICES: '1000', HASYNC_DEVICE_BIND: '127.0.0.1' };
  const first = await spawnServer(MAIN, { cwd: ROOT, env });
  const acked: Acked = { pairings: [], devices: [] };
  const writing = burst(first.adminUrl, first.deviceUrl, acked);
  while (acked.pairings.length < KILL_AFTER_ACKS) await new Promise((r) => setTimeout(r, 5));
  await first.stop('SIGKILL');
  await writing;
  assert.ok(acked.devices.length > 0, 'some devices were paired before the kill');

  const second = await spawnServer(MAIN, { cwd: ROOT, env });
  try {
    const health = await requestFrom(undefined, 'GET', `${second.adminUrl}/api/health`);
    assert.equal(health.body?.db, 'ok');
    for (const id of acked.pairings) {
      const res = await requestFrom(undefined, 'GET', `${second.adminUrl}/api/pairings/${id}`);
      assert.equal(res.status, 200, `pairing ${id} was acknowledged before the kill`);
    }
    const list = await requestFrom(undefined, 'GET', `${second.adminUrl}/api/devices`);
    const ids = new Set((list.body as unknown as { id: string }[]).map((d) => d.id));
    for (const id of acked.devices) assert.ok(ids.has(id), `device ${id} was acknowledged`);
  } finally {
    await second.stop();
  }
});
