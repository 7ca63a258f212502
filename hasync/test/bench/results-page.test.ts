import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keepFrontendSection } from '../../bench/lib/report.ts';

const page = [
  '# HAsync benchmark results',
  '',
  '<!-- frontend-load:start -->',
  '_The frontend cold-load measurement writes its section here (bench/frontend-load.ts)._',
  '<!-- frontend-load:end -->',
  '',
  '## Soak',
  '',
].join('\n');

test('a rewritten results page keeps the frontend cold-load section verbatim', () => {
  const section =
    '\n## Frontend cold load\n\n| what | ms |\n| --- | --- |\n| first paint | 412 $& $1 |\n';
  const previous = `old numbers\n<!-- frontend-load:start -->${section}<!-- frontend-load:end -->\nmore`;
  const out = keepFrontendSection(page, previous);
  assert.ok(out.includes(`<!-- frontend-load:start -->${section}<!-- frontend-load:end -->`));
  assert.ok(out.startsWith('# HAsync benchmark results'));
  assert.ok(out.includes('## Soak'));
  assert.ok(!out.includes('old numbers'));
});

test('a page without the markers gets them with a placeholder', () => {
  assert.equal(keepFrontendSection(page, '# an older page without the section\n'), page);
  assert.equal(keepFrontendSection(page, undefined), page);
});
