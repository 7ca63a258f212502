import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { type RunningServer, runToExit, spawnServer } from '../helpers/process.ts';
import { RawSocket } from '../helpers/raw-socket.ts';
import { tempDir } from '../helpers/tmp.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const MAIN = join(ROOT, 'src', 'main.ts');
const env = (dir: string) => ({
  HASYNC_DATA_DIR: dir,
  HASYNC_ADMIN_PORT: '0',
  HASYNC_DEVICE_PORT: '0',
});

// Tests run as root in CI, where file modes do not stop writes: a real read-only or full file
// system is a tmpfs mounted for the test. Without the right to mount, the tests skip.
function canMount(): string | false {
  if (process.getuid?.() !== 0) return 'needs root to mount a read-only or tiny tmpfs';
  const probe = tempDir('hasync-mount-probe-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe.dir]);
    execFileSync('umount', [probe.dir]);
    return false;
  } catch {
    return 'mount is not permitted here';
  } finally {
    probe.cleanup();
  }
}
const skip = canMount();

const mounted: { dir: string; cleanup: () => void }[] = [];
function mountTmpfs(options: string): string {
  const temp = tempDir('hasync-fault-data-');
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', temp.dir]);
  mounted.push(temp);
  return temp.dir;
}
afterEach(() => {
  for (const m of mounted.splice(0)) {
    execFileSync('umount', ['-l', m.dir]);
    m.cleanup();
  }
});

/** Starting twice gives the same one clear line and exit code 1 both times: no crash loop churn. */
async function assertClearRefusal(dir: string, pattern: RegExp): Promise<void> {
  for (let i = 0; i < 2; i++) {
    const { code, output } = await runToExit([MAIN], { cwd: ROOT, env: env(dir) });
    assert.equal(code, 1, output);
    const lines = output.trim().split('\n');
    assert.equal(lines.length, 1, output);
    assert.match(lines[0] ?? '', /^hasync: .*hasync\.db/);
    assert.match(lines[0] ?? '', pattern);
    assert.doesNotMatch(output, /\n\s+at /, 'no stack trace');
  }
}

test('a read-only data folder stops start-up with one clear line naming the database', {
  skip,
}, async () => {
  await assertClearRefusal(mountTmpfs('ro'), /cannot open database/);
});

test('a full disk stops start-up with one clear line saying the disk is full', {
  skip,
}, async () => {
  const dir = mountTmpfs('size=64k');
  // Leave a few KiB: too little for the database and its write-ahead log.
  writeFileSync(join(dir, 'filler'), Buffer.alloc(60 * 1024));
  await assertClearRefusal(dir, /disk is full/);
});

async function createPairing(adminUrl: string): Promise<number> {
  const res = await fetch(`${adminUrl}/api/pairings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  await res.arrayBuffer();
  return res.status;
}

test('a disk that fills up under a running server fails writes cleanly and recovers', {
  skip,
}, async () => {
  const dir = mountTmpfs('size=2m');
  const server = await spawnServer(MAIN, { cwd: ROOT, env: env(dir) });
  try {
    assert.equal(await createPairing(server.adminUrl), 201);
    // Fill every remaining byte; the writes that follow cannot fit anywhere.
    const filler = join(dir, 'filler');
    try {
      for (;;) appendFileSync(filler, Buffer.alloc(64 * 1024));
    } catch {
      // ENOSPC: the disk is full now
    }
    const statuses = new Set<number>();
    for (let i = 0; i < 50; i++) statuses.add(await createPairing(server.adminUrl));
    // A failed write is the server's problem, so 5xx with the error shape; never a hang or exit.
    assert.ok(
      [...statuses].some((s) => s >= 500),
      `statuses ${[...statuses]}`,
    );
    assert.ok(
      [...statuses].every((s) => s === 201 || s >= 500),
      `statuses ${[...statuses]}`,
    );
    assert.equal(server.child.exitCode, null, 'the server is still running');
    rmSync(filler);
    assert.equal(await createPairing(server.adminUrl), 201, 'writes work again once space is back');
  } finally {
    await server.stop();
  }
});

/** Pairs a device through the running server's admin and device APIs. */
async function pairOne(server: { adminUrl: string; deviceUrl: string }) {
  const res = await fetch(`${server.adminUrl}/api/pairings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"areas":["kitchen"]}',
  });
  const { pin } = (await res.json()) as { pin: string };
  const paired = await fetch(`${server.deviceUrl}/api/pair`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pin, name: 'Hostile tablet' }),
  });
  return (await paired.json()) as { device_id: string; token: string };
}

async function health(adminUrl: string): Promise<{ status: number; body: { reason?: string } }> {
  const res = await fetch(`${adminUrl}/api/health`);
  return { status: res.status, body: (await res.json()) as { reason?: string } };
}

async function revokeOnBrokenDisk(dir: string, breakDisk: () => void, reason: RegExp) {
  const server = await spawnServer(MAIN, { cwd: ROOT, env: env(dir) });
  try {
    const device = await pairOne(server);
    const socket = await RawSocket.authenticated(server.deviceUrl, device.token);
    breakDisk();
    const res = await fetch(`${server.adminUrl}/api/devices/${device.device_id}`, {
      method: 'DELETE',
    });
    assert.equal(res.status, 204, 'the revocation is accepted');
    assert.equal(await socket.closed, 4001, 'its socket is closed at once');
    await assert.rejects(RawSocket.authenticated(server.deviceUrl, device.token), /auth_invalid/);
    const rest = await fetch(`${server.deviceUrl}/api/states`, {
      headers: { authorization: `Bearer ${device.token}` },
    });
    await rest.arrayBuffer();
    assert.equal(rest.status, 401, 'its REST token is refused too');
    const sick = await health(server.adminUrl);
    assert.equal(sick.status, 503);
    assert.match(String(sick.body.reason), reason);
    assert.match(String(sick.body.reason), /1 revocation is in force but not saved yet/);
    assert.equal(server.child.exitCode, null, 'the server is still running');
    return { server, device };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/** Once the disk takes writes again, the retried revocation is saved and survives a restart. */
async function recovers(dir: string, server: RunningServer, device: { token: string }) {
  const deadline = Date.now() + 20_000;
  while ((await health(server.adminUrl)).status !== 200) {
    assert.ok(Date.now() < deadline, 'health recovers once the revocation is saved');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await server.stop();
  const again = await spawnServer(MAIN, { cwd: ROOT, env: env(dir) });
  try {
    await assert.rejects(RawSocket.authenticated(again.deviceUrl, device.token), /auth_invalid/);
  } finally {
    await again.stop();
  }
}

test('a full disk never stops a revocation; health says why; it is saved once there is room', {
  skip,
}, async () => {
  const dir = mountTmpfs('size=2m');
  const filler = join(dir, 'filler');
  const fill = () => {
    try {
      for (;;) appendFileSync(filler, Buffer.alloc(4 * 1024));
    } catch {
      // ENOSPC: the disk is full now
    }
  };
  const { server, device } = await revokeOnBrokenDisk(dir, fill, /full/);
  rmSync(filler);
  await recovers(dir, server, device);
});
