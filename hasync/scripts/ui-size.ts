/**
 * Measures the admin web UI's JavaScript as browsers download it (gzip, level 9) against the
 * budget in design section 9. Exits 1 when over budget or when there is no build.
 * Usage: node scripts/ui-size.ts [--dir DIR]   (DIR defaults to dist/web; run `npm run build` first)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

/** Design section 9: admin UI JS, gzip. */
const BUDGET_BYTES = 150 * 1024;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { dir: { type: 'string' } } });
const dir = resolve(values.dir ?? join(root, 'dist', 'web'));

function jsFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.js') || name.endsWith('.mjs'))
    .map((name) => join(folder, name));
}

let files: string[];
try {
  files = jsFiles(dir);
} catch {
  process.stderr.write(`no admin UI build in ${dir}: run \`npm run build\` first\n`);
  process.exit(1);
}
if (files.length === 0) {
  process.stderr.write(`no JavaScript in ${dir}: run \`npm run build\` first\n`);
  process.exit(1);
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
let total = 0;
for (const file of files) {
  const raw = readFileSync(file);
  const gzip = gzipSync(raw, { level: 9 }).length;
  total += gzip;
  process.stdout.write(`${relative(dir, file)}: ${kib(raw.length)} raw, ${kib(gzip)} gzip\n`);
}
const verdict = total <= BUDGET_BYTES ? 'within' : 'OVER';
process.stdout.write(
  `admin UI JS: ${kib(total)} gzip, ${verdict} the ${kib(BUDGET_BYTES)} budget\n`,
);
process.exit(total <= BUDGET_BYTES ? 0 : 1);
