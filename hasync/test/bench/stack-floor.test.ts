import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';
import { freePort, pollHealthy, spawnNode } from '../../bench/lib/proc.ts';
import { serverBundleOptions, serverEntryOptions } from '../../scripts/server-bundle.ts';
import { tempDir } from '../helpers/tmp.ts';

test('the benchmark’s stack floor bundles, answers health and serves a file on both listeners', async () => {
  const { dir, cleanup } = tempDir('hasync-floor-');
  const root = join(import.meta.dirname, '..', '..');
  await build(serverBundleOptions(join(root, 'bench', 'stack-floor.ts'), join(dir, 'floor.cjs')));
  await build(serverEntryOptions('floor.cjs', join(dir, 'entry.mjs')));
  const [admin, device] = [await freePort(), await freePort()];
  const child = spawnNode([join(dir, 'entry.mjs')], {
    HASYNC_DATA_DIR: dir,
    HASYNC_ADMIN_PORT: String(admin),
    HASYNC_DEVICE_PORT: String(device),
    // The entry's code cache goes with the temporary folder.
    NODE_COMPILE_CACHE: join(dir, 'compile-cache'),
  });
  try {
    for (const port of [admin, device]) {
      await pollHealthy(`http://127.0.0.1:${port}/api/health`);
      const health = await fetch(`http://127.0.0.1:${port}/api/health`);
      assert.deepEqual(await health.json(), { status: 'ok' });
      const page = await fetch(`http://127.0.0.1:${port}/`);
      assert.match(await page.text(), /<title>floor<\/title>/, child.output());
    }
  } finally {
    await child.stop();
    cleanup();
  }
});
