import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import { lazyGlob } from '../../scripts/server-bundle.ts';
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
  assert.deepEqual(files, ['hasync.mjs', 'migrations', 'server.mjs', 'snapshot.mjs']);
  assert.ok(existsSync(join(dir, 'app', 'dist', 'migrations', '001-initial.sql')));
});

test('the bundled server starts with plain Node 24, answers health on both ports and stops with 0', async () => {
  const app = join(dir, 'app');
  const server = await spawnServer(join(app, 'dist', 'server.mjs'), {
    cwd: app,
    // Where the entry's compile cache goes (enableCompileCache() reads it).
    env: { HASYNC_DATA_DIR: join(app, 'data'), NODE_COMPILE_CACHE: join(app, 'compile-cache') },
  });
  try {
    for (const base of [server.adminUrl, server.deviceUrl]) {
      const res = await fetch(`${base}/api/health`);
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { db: string }).db, 'ok');
    }
  } finally {
    const { code } = await server.stop();
    assert.equal(code, 0, server.output());
  }
  assert.ok(existsSync(join(app, 'data', 'hasync.db')));
  // The bundle's compiled code was kept for the next start.
  const cached = readdirSync(join(app, 'compile-cache'), { recursive: true });
  assert.ok(cached.length > 0, 'nothing in the compile cache');
});

test('the bundled server makes its OpenAPI document on the first request, the same each time', async () => {
  const app = join(dir, 'app');
  const server = await spawnServer(join(app, 'dist', 'server.mjs'), {
    cwd: app,
    env: { HASYNC_DATA_DIR: join(app, 'data-openapi') },
  });
  try {
    const first = await fetch(`${server.adminUrl}/api/openapi.json`);
    assert.equal(first.status, 200, server.output());
    const doc = (await first.json()) as { paths: Record<string, unknown> };
    assert.ok(doc.paths['/api/devices/{id}'], 'the admin routes are documented');
    const second = await fetch(`${server.adminUrl}/api/openapi.json`);
    assert.deepEqual(await second.json(), doc);
  } finally {
    await server.stop();
  }
});

test("@fastify/static's glob, loaded on first call in the bundle, still lists files", async () => {
  // A module that takes `glob` as @fastify/static does, bundled with the server's plugins.
  const fixture = join(dir, 'fixture', 'node_modules', '@fastify', 'static');
  mkdirSync(fixture, { recursive: true });
  writeFileSync(join(fixture, 'index.js'), "module.exports = require('glob').glob;\n");
  writeFileSync(join(dir, 'fixture', 'a.txt'), 'a');
  const out = join(dir, 'fixture', 'out.cjs');
  await build({
    entryPoints: [join(fixture, 'index.js')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    nodePaths: [join(ROOT, 'node_modules')],
    plugins: [lazyGlob],
    logLevel: 'error',
  });
  const bundled = readFileSync(out, 'utf8');
  assert.match(bundled, /\(real \?\?= require_/, 'glob is behind the stand-in');
  const glob = createRequire(out)(out) as (p: string, o: object) => Promise<string[]>;
  assert.deepEqual(await glob('*.txt', { cwd: join(dir, 'fixture') }), ['a.txt']);
});
