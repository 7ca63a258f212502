import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { test } from 'node:test';

const SRC = join(import.meta.dirname, '..', 'src');

/** Design layers, lowest first: a folder may import only itself and folders before it. */
const LAYERS = [
  'protocol',
  'shared',
  'config',
  'storage',
  'upstream',
  'cache',
  'scope',
  'access',
  'pairing',
  'gateway',
  'http',
  'demo',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

function importsOf(text: string): string[] {
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)].map(
    (m) => m[1] ?? '',
  );
}

function layerOf(file: string): string | undefined {
  const [first, second] = relative(SRC, file).split(sep);
  return second === undefined ? undefined : first;
}

test('source folders import only folders below them in the design layering', () => {
  const problems: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = layerOf(file);
    if (from === undefined) continue; // main.ts and hasync.ts compose everything
    const rank = LAYERS.indexOf(from);
    assert.ok(rank >= 0, `unknown source folder ${from}`);
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = join(file, '..', spec);
      if (!target.startsWith(SRC)) {
        if (!target.endsWith('package.json'))
          problems.push(`${relative(SRC, file)} imports ${spec} outside src`);
        continue;
      }
      const to = layerOf(target);
      if (to === undefined || LAYERS.indexOf(to) > rank) {
        problems.push(`${relative(SRC, file)} (${from}) imports ${spec} (${to ?? 'root'})`);
      }
    }
  }
  assert.deepEqual(problems, []);
});
