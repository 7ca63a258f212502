/**
 * Builds the admin web UI (hasync/web, React + Vite) into dist/web, served by the admin listener
 * at `/`. `base: './'` keeps every asset URL relative, so the same build works at `/` and under
 * Home Assistant ingress (`/api/hassio_ingress/<token>/`).
 * Usage: node scripts/build-web.ts [--outdir DIR]   (DIR defaults to dist/web)
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
const outDir = resolve(values.outdir ?? join(root, 'dist', 'web'));

await build({
  root: join(root, 'web'),
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
process.stdout.write(`built the admin web UI into ${outDir}\n`);
