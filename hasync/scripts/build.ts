/**
 * Bundles the server into one file, dist/hasync.cjs, that runs with plain `node` and no
 * node_modules beside it, started by dist/server.mjs, which keeps V8's compiled code of its
 * start-up for the next start (see scripts/server-bundle.ts and scripts/server-entry.ts). SQL
 * migrations are copied next to it (dist/migrations/), and the backup hook is bundled as
 * dist/snapshot.mjs.
 * Usage: node scripts/build.ts [--outdir DIR]
 */
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { serverBundleOptions, serverEntryOptions } from './server-bundle.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
const outdir = resolve(values.outdir ?? join(root, 'dist'));

rmSync(join(outdir, 'server.mjs'), { force: true });
rmSync(join(outdir, 'hasync.mjs'), { force: true });
rmSync(join(outdir, 'hasync.cjs'), { force: true });
rmSync(join(outdir, 'snapshot.mjs'), { force: true });
rmSync(join(outdir, 'migrations'), { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

const result = await build(
  serverBundleOptions(join(root, 'src/main.ts'), join(outdir, 'hasync.cjs')),
);
// The entry the image runs.
await build(serverEntryOptions('hasync.cjs', join(outdir, 'server.mjs')));
cpSync(join(root, 'src/storage/migrations'), join(outdir, 'migrations'), { recursive: true });
// The backup hook (config.yaml backup_pre/backup_post): the image has only node and dist/.
await build({
  entryPoints: [join(root, 'src/storage/snapshot-cli.ts')],
  outfile: join(outdir, 'snapshot.mjs'),
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const bytes = Object.values(result.metafile?.outputs ?? {}).reduce(
  (sum, out) => sum + out.bytes,
  0,
);
process.stdout.write(`built ${join(outdir, 'hasync.cjs')} (${(bytes / 1024).toFixed(0)} KiB)\n`);
