import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { SNAPSHOT_FILE } from '../../src/storage/snapshot.ts';
import { loopbackAddress, requestFrom } from '../helpers/from-address.ts';
import { createPairing, requestJson } from '../helpers/json-http.ts';
import { type RunningServer, spawnServer } from '../helpers/process.ts';
import { tempDir } from '../helpers/tmp.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const MAIN = join(ROOT, 'src', 'main.ts');

let bundle: ReturnType<typeof tempDir>;
let live: ReturnType<typeof tempDir>;
let restored: ReturnType<typeof tempDir>;
before(async () => {
  bundle = tempDir('hasync-bundle-');
  live = tempDir('hasync-live-');
  restored = tempDir('hasync-restored-');
  // The hook runs as the image runs it: the bundled dist/snapshot.mjs with plain node.
  await run(process.execPath, [join(ROOT, 'scripts', 'build.ts'), '--outdir', bundle.dir]);
});
after(() => {
  for (const dir of [bundle, live, restored]) dir.cleanup();
});

interface Paired {
  device_id: string;
  token: string;
}

/** Pairs devices one after another (each by QR code from its own address) until stopped. */
function keepPairing(server: RunningServer, paired: Paired[]): () => Promise<void> {
  let writing = true;
  const loop = (async () => {
    for (let n = 0; writing && n < 900; n++) {
      const offer = await createPairing(server.adminUrl, { areas: ['kitchen'] });
      const body = JSON.stringify({ code: offer.code, name: `Tablet ${n}` });
      const res = await requestFrom(
        loopbackAddress(n),
        'POST',
        `${server.deviceUrl}/api/pair`,
        body,
      );
      assert.equal(res.status, 201);
      paired.push(res.body as unknown as Paired);
    }
  })();
  return async () => {
    writing = false;
    await loop;
  };
}

async function deviceIds(server: RunningServer): Promise<string[]> {
  const res = await requestJson<{ id: string }[]>('GET', `${server.adminUrl}/api/devices`);
  return res.body.map((d) => d.id);
}

test('a snapshot taken while devices pair restores into a fresh data folder, and HAsync starts from it', async () => {
  const server = await spawnServer(MAIN, {
    cwd: ROOT,
    env: { HASYNC_DATA_DIR: live.dir, HASYNC_LOG_LEVEL: 'info', HASYNC_MAX_DEVICES: '1000' },
  });
  const paired: Paired[] = [];
  let stopWriting: (() => Promise<void>) | undefined;
  let committedBefore: number;
  let committedAfter: number;
  try {
    stopWriting = keepPairing(server, paired);
    while (paired.length < 5) await new Promise((resolve) => setTimeout(resolve, 20));
    committedBefore = paired.length;
    const snapshot = run(process.execPath, [
      join(bundle.dir, 'snapshot.mjs'),
      'take',
      '--data',
      live.dir,
    ]);
    const { stdout } = await snapshot;
    committedAfter = paired.length;
    assert.match(stdout, /wrote .*hasync-snapshot\.db/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await stopWriting();
    stopWriting = undefined;
    assert.ok(paired.length > committedAfter, 'writes went on after the snapshot');
  } finally {
    await stopWriting?.().catch(() => undefined);
    await server.stop();
  }
  const snapshotFile = join(live.dir, SNAPSHOT_FILE);
  const check = new DatabaseSync(snapshotFile, { readOnly: true });
  assert.equal(check.prepare('PRAGMA integrity_check').get()?.integrity_check, 'ok');
  check.close();

  // A restore brings back what the backup holds: everything but the excluded live files.
  copyFileSync(snapshotFile, join(restored.dir, SNAPSHOT_FILE));
  assert.ok(!existsSync(join(restored.dir, 'hasync.db')));
  const again = await spawnServer(MAIN, {
    cwd: ROOT,
    env: { HASYNC_DATA_DIR: restored.dir, HASYNC_LOG_LEVEL: 'info', HASYNC_MAX_DEVICES: '1000' },
  });
  try {
    const ids = await deviceIds(again);
    assert.ok(
      ids.length >= committedBefore && ids.length <= committedAfter + 1,
      `${ids.length} devices restored; ${committedBefore} paired before the snapshot, ${committedAfter} after`,
    );
    assert.deepEqual(
      ids.sort(),
      paired
        .slice(0, ids.length)
        .map((d) => d.device_id)
        .sort(),
    );
    for (const device of paired.slice(0, committedBefore)) {
      const res = await requestJson('GET', `${again.deviceUrl}/api/states`, undefined, {
        authorization: `Bearer ${device.token}`,
      });
      assert.equal(res.status, 200, 'a device paired before the snapshot still connects');
    }
    assert.match(again.output(), /restored it from the backup snapshot/);
  } finally {
    await again.stop();
  }
  assert.ok(readdirSync(restored.dir).includes('hasync.db'), 'the restored database is live now');
});

test('the clean hook removes the snapshot, and the hook refuses a folder without a database', async () => {
  const cli = join(bundle.dir, 'snapshot.mjs');
  await run(process.execPath, [cli, 'clean', '--data', live.dir]);
  assert.ok(!existsSync(join(live.dir, SNAPSHOT_FILE)));
  const empty = tempDir('hasync-empty-');
  try {
    await assert.rejects(
      run(process.execPath, [cli, 'take', '--data', empty.dir]),
      (err: { code: number; stderr: string }) => err.code === 1 && /no database/.test(err.stderr),
    );
    await assert.rejects(
      run(process.execPath, [cli, 'restore']),
      (err: { code: number }) => err.code === 2,
    );
  } finally {
    empty.cleanup();
  }
});
