/**
 * Home Assistant's backup hooks (config.yaml `backup_pre` / `backup_post`), run inside the app's
 * container while HAsync keeps running (`backup: hot`):
 *   node /app/snapshot.mjs take  [--data DIR]   consistent snapshot of DIR/hasync.db
 *   node /app/snapshot.mjs clean [--data DIR]   remove it once the backup has it
 * DIR defaults to HASYNC_DATA_DIR, else /data. Exit 0 on success, 1 on failure, 2 on bad usage.
 * Restoring needs no command: HAsync starts from the snapshot when the live database is absent.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { errorMessage } from '../shared/errors.ts';
import { removeSnapshot, takeSnapshot } from './snapshot.ts';

function main(): number {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (err) {
    process.stderr.write(`hasync-snapshot: ${errorMessage(err)}\n`);
    return 2;
  }
  const { command, dbPath } = parsed;
  try {
    if (command === 'take') {
      process.stdout.write(`hasync-snapshot: wrote ${takeSnapshot(dbPath)}\n`);
      return 0;
    }
    if (command === 'clean') {
      removeSnapshot(dbPath);
      process.stdout.write('hasync-snapshot: removed the snapshot\n');
      return 0;
    }
  } catch (err) {
    process.stderr.write(`hasync-snapshot: ${errorMessage(err)}\n`);
    return 1;
  }
  process.stderr.write('usage: snapshot take|clean [--data DIR]\n');
  return 2;
}

function parse() {
  const { values, positionals } = parseArgs({
    options: { data: { type: 'string' } },
    allowPositionals: true,
  });
  const dataDir = values.data ?? process.env.HASYNC_DATA_DIR ?? '/data';
  return { command: positionals[0], dbPath: join(dataDir, 'hasync.db') };
}

process.exitCode = main();
