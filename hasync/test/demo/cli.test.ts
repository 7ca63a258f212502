import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { test } from 'node:test';
import { createConnection, createLongLivedTokenAuth, getStates } from 'home-assistant-js-websocket';

const CLI = join(import.meta.dirname, '..', '..', 'src', 'demo', 'cli.ts');

test('npm run demo-ha serves the requested home and stops cleanly on SIGTERM', async () => {
  const child = spawn(
    process.execPath,
    [CLI, '--port', '0', '--entities', '120', '--rate', '5', '--token', 'cli-token'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    let out = '';
    child.stdout.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('\n')) resolve();
      });
      child.once('exit', () => reject(new Error(`exited early: ${out}`)));
    });
    const url = /listening on (http:\/\/[\d.:]+)/.exec(out)?.[1];
    assert.ok(url, out);
    const conn = await createConnection({ auth: createLongLivedTokenAuth(url, 'cli-token') });
    assert.equal((await getStates(conn)).length, 120);
    conn.close();
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

test('demo-ha refuses an unknown option', async () => {
  const child = spawn(process.execPath, [CLI, '--colour', 'blue'], { stdio: 'ignore' });
  const [code] = await once(child, 'exit');
  assert.equal(code, 2);
});
