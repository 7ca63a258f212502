/**
 * Builds a web app with Vite: the admin web UI (hasync/web, React) into dist/web, served by the
 * admin listener at `/`, or with `--app kiosk` the kiosk client (hasync/kiosk, plain TypeScript)
 * into dist/kiosk, served by the device listener at `/`. `base: './'` keeps every asset URL
 * relative, so the same build works at `/` and under Home Assistant ingress
 * (`/api/hassio_ingress/<token>/`) or any reverse-proxy prefix.
 * Usage: node scripts/build-web.ts [--app admin|kiosk] [--outdir DIR]   (DIR: dist/web|dist/kiosk)
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { outdir: { type: 'string' }, app: { type: 'string', default: 'admin' } },
});
/** app → [source folder, default output folder, what it is] */
const APPS: Record<string, [string, string, string]> = {
  admin: ['web', 'web', 'the admin web UI'],
  kiosk: ['kiosk', 'kiosk', 'the kiosk web client'],
};
const app = APPS[values.app];
if (!app) {
  process.stderr.write(`unknown --app ${values.app}: use admin or kiosk\n`);
  process.exit(2);
}
const [source, output, what] = app;
const outDir = resolve(values.outdir ?? join(root, 'dist', output));

await build({
  root: join(root, source),
  base: './',
  configFile: false,
  logLevel: 'warn',
  // React's automatic JSX runtime through Vite's built-in esbuild transform (no plugin needed).
  esbuild: { jsx: 'automatic' },
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    assetsInlineLimit: 0,
  },
});
process.stdout.write(`built ${what} into ${outDir}\n`);
