import assert from 'node:assert/strict';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import { loadOnFirstUse } from '../../scripts/server-bundle.ts';
import { waitFor } from '../fakes/demo-home.ts';
import { runToExit, spawnServer } from '../helpers/process.ts';
import { tempDir } from '../helpers/tmp.ts';

const ROOT = join(import.meta.dirname, '..', '..');

let dir: string;
let cleanup: () => void;
before(async () => {
  ({ dir, cleanup } = tempDir('hasync-bundle-'));
  const { code, output } = await runToExit(
    [join(ROOT, 'scripts', 'build.ts'), '--outdir', join(dir, 'build')],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH },
    },
  );
  assert.equal(code, 0, output);
  // Run from a folder with nothing but the build output: no node_modules anywhere above it.
  cpSync(join(dir, 'build'), join(dir, 'app', 'dist'), { recursive: true });
});
after(() => cleanup());

test('the build produces the server bundle, its entry, its migrations and the backup hook', () => {
  const files = readdirSync(join(dir, 'app', 'dist')).sort();
  assert.deepEqual(files, ['hasync.cjs', 'migrations', 'server.mjs', 'snapshot.mjs']);
  assert.ok(existsSync(join(dir, 'app', 'dist', 'migrations', '001-initial.sql')));
});

/** The code cache files the entry wrote under `folder` (NODE_COMPILE_CACHE), by name. */
function cacheFiles(folder: string): string[] {
  const bundles = join(folder, 'bundles');
  return existsSync(bundles) ? readdirSync(bundles).filter((f) => f.startsWith('hasync.cjs-')) : [];
}

async function startBundle(app: string, cache: string) {
  const server = await spawnServer(join(app, 'dist', 'server.mjs'), {
    cwd: app,
    env: { HASYNC_DATA_DIR: join(app, 'data'), NODE_COMPILE_CACHE: cache },
  });
  for (const base of [server.adminUrl, server.deviceUrl]) {
    const res = await fetch(`${base}/api/health`);
    assert.equal(res.status, 200, server.output());
    assert.equal(((await res.json()) as { db: string }).db, 'ok');
  }
  return server;
}

test('the bundled server starts with plain Node 24, answers health on both ports and stops with 0', async () => {
  const app = join(dir, 'app');
  const cache = join(app, 'compile-cache');
  const server = await startBundle(app, cache);
  try {
    // Once started, the entry keeps V8's compiled code of the start-up for the next start.
    await waitFor(() => cacheFiles(cache).length > 0, 'the code cache', 10_000);
  } finally {
    const { code } = await server.stop();
    assert.equal(code, 0, server.output());
  }
  assert.ok(existsSync(join(app, 'data', 'hasync.db')));
  const [file, ...more] = cacheFiles(cache);
  assert.ok(file, 'no code cache written');
  assert.deepEqual(more, []);
  const bytes = statSync(join(cache, 'bundles', file)).size;
  assert.ok(bytes > 100_000, `a code cache of ${bytes} bytes holds little of the start-up`);
});

test('a later start takes the code cache; one V8 refuses or others could write is replaced; none is needed', async () => {
  const app = join(dir, 'app');
  const cache = join(app, 'compile-cache');
  const [file] = cacheFiles(cache);
  assert.ok(file, 'the previous test wrote a cache');
  const path = join(cache, 'bundles', file);
  const written = statSync(path).mtimeMs;
  // Taken as it is: not written again.
  await (await startBundle(app, cache)).stop();
  assert.equal(statSync(path).mtimeMs, written);
  // Damaged: V8 refuses it, the server starts all the same and writes a good one.
  writeFileSync(path, Buffer.alloc(4096, 7));
  const server = await startBundle(app, cache);
  await waitFor(() => statSync(path).size !== 4096, 'the refused cache replaced', 10_000);
  await server.stop();
  assert.notEqual(statSync(path).size, 4096, 'the refused cache was not replaced');
  // Writable by others (it may sit in a shared /tmp): not used, replaced by one only we can write.
  chmodSync(path, 0o666);
  const before = statSync(path).mtimeMs;
  const shared = await startBundle(app, cache);
  await waitFor(() => statSync(path).mtimeMs !== before, 'the shared cache replaced', 10_000);
  await shared.stop();
  assert.equal(statSync(path).mode & 0o777, 0o600, 'the cache was taken from a shared file');
  // Nowhere to write it: the server starts without one.
  const blocked = join(app, 'not-a-folder');
  writeFileSync(blocked, '');
  await (await startBundle(app, blocked)).stop();
});

test('the bundled server makes its OpenAPI document on first request and serves files typed', async () => {
  // A copy with a built admin UI beside the bundle: @fastify/static, its glob and mime bundled.
  const app = join(dir, 'app-web');
  cpSync(join(dir, 'build'), join(app, 'dist'), { recursive: true });
  mkdirSync(join(app, 'dist', 'web', 'assets'), { recursive: true });
  writeFileSync(join(app, 'dist', 'web', 'index.html'), '<!doctype html><title>admin</title>');
  writeFileSync(join(app, 'dist', 'web', 'assets', 'app-1.css'), 'body{}');
  const server = await spawnServer(join(app, 'dist', 'server.mjs'), {
    cwd: app,
    env: { HASYNC_DATA_DIR: join(app, 'data') },
  });
  try {
    const first = await fetch(`${server.adminUrl}/api/openapi.json`);
    assert.equal(first.status, 200, server.output());
    const doc = (await first.json()) as { paths: Record<string, unknown> };
    assert.ok(doc.paths['/api/devices/{id}'], 'the admin routes are documented');
    const second = await fetch(`${server.adminUrl}/api/openapi.json`);
    assert.deepEqual(await second.json(), doc);
    const page = await fetch(`${server.adminUrl}/`);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(await page.text(), /<title>admin<\/title>/);
    const css = await fetch(`${server.adminUrl}/assets/app-1.css`);
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
    assert.match(String(css.headers.get('cache-control')), /immutable/);
    const missing = await fetch(`${server.adminUrl}/assets/nothing.js`);
    assert.equal(missing.status, 404);
  } finally {
    await server.stop();
  }
});

test('glob and mime, loaded on first use in the bundle, answer as the real modules', async () => {
  // Modules that take them as @fastify/static and @fastify/send do, bundled with the plugin.
  const fixture = join(dir, 'fixture');
  const modules = join(fixture, 'node_modules', '@fastify');
  mkdirSync(join(modules, 'static'), { recursive: true });
  mkdirSync(join(modules, 'send'), { recursive: true });
  writeFileSync(join(modules, 'static', 'index.js'), "module.exports = require('glob').glob;\n");
  writeFileSync(
    join(modules, 'send', 'index.js'),
    "const a = require('mime'); const b = require('./again.js'); module.exports = { a, b };\n",
  );
  writeFileSync(join(modules, 'send', 'again.js'), "module.exports = require('mime');\n");
  writeFileSync(join(fixture, 'a.txt'), 'a');
  const bundle = async (module: string) => {
    const out = join(fixture, `${module}.cjs`);
    await build({
      entryPoints: [join(modules, module, 'index.js')],
      outfile: out,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      nodePaths: [join(ROOT, 'node_modules')],
      plugins: [loadOnFirstUse],
      logLevel: 'error',
    });
    assert.match(readFileSync(out, 'utf8'), /real \?\?= require_/, `${module}: no stand-in`);
    return createRequire(out)(out);
  };
  const glob = (await bundle('static')) as (p: string, o: object) => Promise<string[]>;
  assert.deepEqual(await glob('*.txt', { cwd: fixture }), ['a.txt']);
  const { a, b } = (await bundle('send')) as { a: Record<string, unknown>; b: typeof a };
  assert.equal(a, b, 'one stand-in for every file that takes mime');
  a.default_type = 'application/octet-stream';
  assert.equal(b.default_type, 'application/octet-stream');
  const mime = a as { getType(p: string): string; getExtension(t: string): string };
  assert.equal(mime.getType('app/index.css'), 'text/css');
  assert.equal(mime.getExtension('image/svg+xml'), 'svg');
});
