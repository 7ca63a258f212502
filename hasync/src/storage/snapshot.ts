import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { errorMessage, HasyncError } from '../shared/errors.ts';

/**
 * The consistent copy of the database that Home Assistant's backup carries. The live files
 * (hasync.db, -wal, -shm) are excluded from the backup (config.yaml `backup_exclude`): copied
 * while HAsync writes, they could disagree with each other.
 */
export const SNAPSHOT_FILE = 'hasync-snapshot.db';
/** How long the snapshot waits for a write in progress before giving up. */
const BUSY_TIMEOUT_MS = 10_000;

export function snapshotPath(dbPath: string): string {
  return join(dirname(dbPath), SNAPSHOT_FILE);
}

/**
 * Writes a consistent snapshot of the live database beside it (`VACUUM INTO` reads one WAL
 * snapshot, so writes may go on meanwhile), atomically: a half-written file is never left under
 * the snapshot's name. Returns the snapshot's path.
 */
export function takeSnapshot(dbPath: string): string {
  if (!existsSync(dbPath)) {
    throw new HasyncError('snapshot_failed', `no database at ${dbPath}; nothing to snapshot`);
  }
  const target = snapshotPath(dbPath);
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const db = new DatabaseSync(dbPath);
  try {
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.prepare('VACUUM INTO ?').run(partial);
  } catch (err) {
    rmSync(partial, { force: true });
    throw new HasyncError('snapshot_failed', `snapshot failed: ${errorMessage(err)}`, {
      cause: err,
    });
  } finally {
    db.close();
  }
  renameSync(partial, target);
  return target;
}

/** Removes the snapshot after the backup took it, so only a restore ever finds one. */
export function removeSnapshot(dbPath: string): void {
  rmSync(snapshotPath(dbPath), { force: true });
  rmSync(`${snapshotPath(dbPath)}.partial`, { force: true });
}

/**
 * After a restore the data folder holds the snapshot but no live database (it was excluded):
 * start from the snapshot. Returns true if it did. A live database always wins.
 */
export function restoreSnapshotIfMissing(dbPath: string): boolean {
  const snapshot = snapshotPath(dbPath);
  if (existsSync(dbPath) || !existsSync(snapshot)) return false;
  // WAL files without their database belong to no snapshot; SQLite must not replay them.
  rmSync(`${dbPath}-wal`, { force: true });
  rmSync(`${dbPath}-shm`, { force: true });
  copyFileSync(snapshot, `${dbPath}.restoring`);
  renameSync(`${dbPath}.restoring`, dbPath);
  return true;
}
