import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEVICE_CONNECTION_LIMITS } from '../../src/http/connection-guard.ts';
import { HEADERS_TIMEOUT_MS } from '../../src/http/create-app.ts';
import { loopbackAddress, requestFrom } from '../helpers/from-address.ts';
import { type RunningServer, spawnServer } from '../helpers/process.ts';
import {
  closeAll,
  openSlowConnections,
  processUsage,
  type SlowConnection,
  stillOpen,
} from '../helpers/slow-client.ts';
import { tempDir } from '../helpers/tmp.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const MAIN = join(ROOT, 'src', 'main.ts');
const { perClient, total } = DEVICE_CONNECTION_LIMITS;

let server: RunningServer;
let pid: number;
let devicePort: number;
let temp: ReturnType<typeof tempDir>;
before(async () => {
  temp = tempDir('hasync-exhaust-');
  server = await spawnServer(MAIN, {
    cwd: ROOT,
    env: { HASYNC_DATA_DIR: temp.dir, HASYNC_LOG_LEVEL: 'info', HASYNC_DEVICE_BIND: '127.0.0.1' },
  });
  pid = server.child.pid as number;
  devicePort = Number(new URL(server.deviceUrl).port);
});
after(async () => {
  await server.stop();
  temp.cleanup();
});

async function waitUntil(check: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** A well-behaved client from its own address: the device listener's health answers at once. */
async function servedQuickly(address: string): Promise<number> {
  const t0 = Date.now();
  const reply = await requestFrom(address, 'GET', `${server.deviceUrl}/api/health`);
  assert.equal(reply.status, 200);
  return Date.now() - t0;
}

function settled(connections: readonly SlowConnection[]): boolean {
  return stillOpen(connections) === 0;
}

test('one client holding 200 slow connections gets only its share, another is still served, and the header deadline frees the rest', async (t) => {
  const before = processUsage(pid);
  const attack = openSlowConnections(devicePort, loopbackAddress(900), 200);
  try {
    await waitUntil(() => stillOpen(attack) <= perClient, 3000, 'the refusals');
    await sleep(500);
    const during = processUsage(pid);
    assert.equal(stillOpen(attack), perClient, 'the client keeps exactly its share');
    const refused = attack.filter((c) => c.received.startsWith('HTTP/1.1 503'));
    assert.ok(refused.length >= 200 - perClient - 5, `refused with 503: ${refused.length}`);
    assert.ok(during.fds - before.fds <= perClient + 8, `fds ${before.fds} → ${during.fds}`);
    const ms = await servedQuickly(loopbackAddress(901));
    assert.ok(ms < 1000, `another client waited ${ms} ms`);
    // Every held connection is closed with 408 once its headers are overdue.
    await waitUntil(() => settled(attack), HEADERS_TIMEOUT_MS + 4000, 'the header deadline');
    const timedOut = attack.filter((c) => c.received.startsWith('HTTP/1.1 408'));
    assert.equal(timedOut.length, perClient);
    await sleep(200);
    const afterwards = processUsage(pid);
    t.diagnostic(
      `slowloris, one client: RSS ${before.rssMb} → ${during.rssMb} → ${afterwards.rssMb} MB, ` +
        `fds ${before.fds} → ${during.fds} → ${afterwards.fds}`,
    );
    assert.ok(afterwards.fds <= before.fds + 4, `fds after: ${afterwards.fds}`);
  } finally {
    closeAll(attack);
  }
});

test('many clients together cannot hold more than the listener total, and the deadline serves the next client', async (t) => {
  const before = processUsage(pid);
  const clients = Math.ceil((total * 1.25) / (perClient - 2));
  const attack = Array.from({ length: clients }, (_, i) =>
    openSlowConnections(devicePort, loopbackAddress(1000 + i), perClient - 2),
  ).flat();
  try {
    await waitUntil(() => stillOpen(attack) <= total, 5000, 'the listener cap');
    await sleep(500);
    const during = processUsage(pid);
    assert.equal(stillOpen(attack), total);
    assert.ok(during.fds - before.fds <= total + 8, `fds ${before.fds} → ${during.fds}`);
    await waitUntil(() => settled(attack), HEADERS_TIMEOUT_MS + 5000, 'the header deadline');
    const ms = await servedQuickly(loopbackAddress(1500));
    await sleep(200);
    const afterwards = processUsage(pid);
    t.diagnostic(
      `slowloris, ${clients} clients × ${perClient - 2}: RSS ${before.rssMb} → ${during.rssMb} → ` +
        `${afterwards.rssMb} MB, fds ${before.fds} → ${during.fds} → ${afterwards.fds}; ` +
        `next client served in ${ms} ms`,
    );
    assert.ok(afterwards.fds <= before.fds + 4, `fds after: ${afterwards.fds}`);
  } finally {
    closeAll(attack);
  }
});

test('the admin listener refuses a flood from one client past its share and still serves health', async () => {
  const adminPort = Number(new URL(server.adminUrl).port);
  const attack = openSlowConnections(adminPort, '127.0.0.1', 100);
  try {
    await waitUntil(() => stillOpen(attack) <= perClient, 3000, 'the refusals');
    const reply = await requestFrom(loopbackAddress(902), 'GET', `${server.adminUrl}/api/health`);
    assert.equal(reply.status, 200);
  } finally {
    closeAll(attack);
  }
});
