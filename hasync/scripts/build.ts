/**
 * Bundles the server into one ESM file, dist/hasync.mjs, that runs with plain `node` and no
 * node_modules beside it, started by dist/server.mjs, which first turns on Node's compile cache
 * (the bundle's compiled code is kept on disk, so later starts skip most of the parsing). SQL
 * migrations are copied next to it (dist/migrations/), and the backup hook is bundled as
 * dist/snapshot.mjs.
 * Usage: node scripts/build.ts [--outdir DIR]
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
const outdir = resolve(values.outdir ?? join(root, 'dist'));

// Some bundled CommonJS dependencies expect require/__dirname; give the ESM bundle both.
const BANNER = [
  "import { createRequire as __hasyncCreateRequire } from 'node:module';",
  "import { fileURLToPath as __hasyncFileURLToPath } from 'node:url';",
  'const require = __hasyncCreateRequire(import.meta.url);',
  'const __filename = __hasyncFileURLToPath(import.meta.url);',
  "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
].join('\n');

/**
 * The entry the image runs. The cache lives in the system's temporary folder (Node's default):
 * a stale or missing cache is only slower, never wrong (Node checks it against the source).
 */
const ENTRY = [
  "import { enableCompileCache } from 'node:module';",
  'enableCompileCache();',
  "await import('./hasync.mjs');",
  '',
].join('\n');

/**
 * `import … from 'node:http'` goes through Node's ESM facade of the module, which reads every
 * export, and reading `WebSocket` loads undici: 17 MB of RSS in a process that never uses it. The
 * bundle takes node:http and node:https through `require`, as its CommonJS dependencies do; only
 * their plain properties are exported (an accessor imported by name fails the build).
 */
const httpViaRequire: Plugin = {
  name: 'node-http-via-require',
  setup(b) {
    b.onResolve({ filter: /^node:https?$/ }, (args) =>
      args.kind === 'import-statement' ? { path: args.path, namespace: 'via-require' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'via-require' }, (args) => {
      const mod = createRequire(import.meta.url)(args.path) as object;
      const names = Object.keys(mod).filter((k) => !Object.getOwnPropertyDescriptor(mod, k)?.get);
      const lines = names.map((name) => `export const ${name} = m.${name};`);
      const contents = [
        `const m = require(${JSON.stringify(args.path)});`,
        ...lines,
        'export default m;',
      ];
      return { contents: contents.join('\n'), loader: 'js' };
    });
  },
};

rmSync(join(outdir, 'server.mjs'), { force: true });
rmSync(join(outdir, 'hasync.mjs'), { force: true });
rmSync(join(outdir, 'snapshot.mjs'), { force: true });
rmSync(join(outdir, 'migrations'), { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

const result = await build({
  entryPoints: [join(root, 'src/main.ts')],
  outfile: join(outdir, 'hasync.mjs'),
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  minify: true,
  keepNames: true,
  sourcemap: false,
  legalComments: 'none',
  banner: { js: BANNER },
  metafile: true,
  logLevel: 'warning',
  plugins: [httpViaRequire],
});
writeFileSync(join(outdir, 'server.mjs'), ENTRY);
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

const bytes = Object.values(result.metafile.outputs).reduce((sum, out) => sum + out.bytes, 0);
process.stdout.write(`built ${join(outdir, 'hasync.mjs')} (${(bytes / 1024).toFixed(0)} KiB)\n`);
