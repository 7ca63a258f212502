import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runToExit, spawnServer } from '../helpers/process.ts';
import { tempDir } from '../helpers/tmp.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const MAIN = join(ROOT, 'src', 'main.ts');

describe('the server process', () => {
  let dir: string;
  let cleanup: () => void;
  before(() => {
    ({ dir, cleanup } = tempDir());
  });
  after(() => cleanup());

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`exits with code 0 within 5 s on ${signal}, even with a connection held open`, async () => {
      const server = await spawnServer(MAIN, { cwd: ROOT, env: { HASYNC_DATA_DIR: dir } });
      const held = holdConnection(`${server.deviceUrl}/api/health`);
      await held.opened;
      const { code, ms } = await server.stop(signal);
      assert.equal(code, 0, server.output());
      assert.ok(ms < 5000, `took ${ms} ms`);
      assert.match(server.output(), /stopped cleanly/);
      held.destroy();
    });
  }

  test('logs its version, Node version and mode at start-up', async () => {
    const server = await spawnServer(MAIN, { cwd: ROOT, env: { HASYNC_DATA_DIR: dir } });
    await server.stop();
    const line = server
      .output()
      .split('\n')
      .find((l) => l.includes('"node"'));
    assert.ok(line, server.output());
    const entry = JSON.parse(line) as { node: string; mode: string; msg: string };
    assert.equal(entry.node, process.version);
    assert.match(entry.node, /^v24\./);
    assert.equal(entry.mode, 'demo');
    assert.match(entry.msg, new RegExp(`Node ${process.version.replaceAll('.', '\\.')}`));
  });
});

test('refuses to start with one line per bad setting, naming the key, and exit code 1', async () => {
  const { code, output } = await runToExit([MAIN], {
    cwd: ROOT,
    env: { HASYNC_PIN_TTL_S: 'soon', HASYNC_MAX_DEVICES: '0', HASYNC_ADMIN_PORT: '0' },
  });
  assert.equal(code, 1);
  const lines = output.trim().split('\n');
  assert.deepEqual(lines, [
    'hasync: HASYNC_PIN_TTL_S must be a whole number from 60 to 3600, got "soon"',
    'hasync: HASYNC_MAX_DEVICES must be a whole number from 1 to 1000, got "0"',
  ]);
});

test('refuses to start on a database that is not SQLite, with a clear message and no stack', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'hasync.db'), 'definitely not sqlite, just some text that is long');
    const { code, output } = await runToExit([MAIN], {
      cwd: ROOT,
      env: { HASYNC_DATA_DIR: dir, HASYNC_ADMIN_PORT: '0', HASYNC_DEVICE_PORT: '0' },
    });
    assert.equal(code, 1);
    assert.match(output, /^hasync: .*hasync\.db is not an SQLite database; it was left untouched/);
    assert.doesNotMatch(output, /\n\s+at /);
  } finally {
    cleanup();
  }
});

/** Opens a keep-alive HTTP connection and keeps it open. */
function holdConnection(url: string): { opened: Promise<void>; destroy: () => void } {
  const req = request(url, { headers: { connection: 'keep-alive' } });
  const opened = new Promise<void>((resolve, reject) => {
    req.on('response', (res) => {
      res.resume();
      resolve();
    });
    req.on('error', reject);
  });
  req.end();
  return { opened, destroy: () => req.destroy() };
}
