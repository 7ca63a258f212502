import assert from 'node:assert/strict';
import { registerHooks } from 'node:module';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { tempDir } from '../helpers/tmp.ts';

// Every module this process loads from now on; nothing of src/ is loaded before this line.
const loaded: string[] = [];
registerHooks({
  load(url, context, next) {
    loaded.push(url);
    return next(url, context);
  },
});
const demoCode = () => loaded.filter((url) => url.includes('/src/demo/'));

async function start(env: NodeJS.ProcessEnv) {
  const [{ loadConfig }, { createLogger }, { Hasync }] = await Promise.all([
    import('../../src/config/config.ts'),
    import('../../src/shared/logger.ts'),
    import('../../src/hasync.ts'),
  ]);
  const temp = tempDir('hasync-demo-loading-');
  const config = loadConfig({
    env: {
      HASYNC_ADMIN_PORT: '0',
      HASYNC_DEVICE_PORT: '0',
      HASYNC_DEVICE_BIND: '127.0.0.1',
      HASYNC_DATA_DIR: temp.dir,
      ...env,
    },
  });
  const quiet = new Writable({ write: (_c, _e, done) => done() });
  const hasync = new Hasync({ config, log: createLogger('error', quiet) });
  await hasync.start();
  return {
    hasync,
    stop: async () => {
      await hasync.stop();
      temp.cleanup();
    },
  };
}

test('only demo mode loads the demo home’s code, when it starts', async () => {
  // Standalone mode, Home Assistant unreachable: the server still starts, without the demo home.
  const standalone = await start({ HASYNC_HA_URL: 'http://127.0.0.1:9', HASYNC_HA_TOKEN: 't' });
  try {
    assert.equal(standalone.hasync.demo, undefined);
    assert.ok(
      loaded.some((url) => url.endsWith('/src/hasync.ts')),
      'the hook sees src/',
    );
    assert.deepEqual(demoCode(), [], 'standalone mode loaded the demo home');
  } finally {
    await standalone.stop();
  }
  const demo = await start({});
  try {
    assert.ok(demo.hasync.demo, 'demo mode runs the demo home');
    assert.ok(demoCode().some((url) => url.endsWith('/src/demo/demo-home.ts')));
    assert.equal((await fetch(`${demo.hasync.admin.url}/api/health`)).status, 200);
  } finally {
    await demo.stop();
  }
});
