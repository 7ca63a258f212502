import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { errorMessage, HasyncError } from '../shared/errors.ts';
import { loadMigrations, type Migration } from './migrations.ts';

const SQLITE_HEADER = 'SQLite format 3\0';
/** SQLite primary result codes that mean the disk, not the statement, is at fault. */
const STORAGE_FAULTS = new Set([
  8 /* READONLY */, 10 /* IOERR */, 13 /* FULL */, 14 /* CANTOPEN */,
]);
/** While writes fail, health checks try one small write at most this often to see if they work again. */
const WRITE_PROBE_INTERVAL_MS = 5000;
const WRITE_PROBE =
  "INSERT INTO settings (key, value) VALUES ('write_probe', ?) " +
  'ON CONFLICT (key) DO UPDATE SET value = excluded.value';

/** Why writes fail right now: SQLite's words, and since when (epoch ms). */
export interface WriteProblem {
  readonly reason: string;
  readonly since: number;
}

export type SqlParam = SQLInputValue;

/**
 * The one SQLite connection (node:sqlite, synchronous). Opening checks the file, refuses a
 * database from a newer HAsync without touching it, then applies pending migrations atomically.
 */
export class Db {
  readonly path: string;
  readonly schemaVersion: number;
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  #closed = false;
  #writeProblem: WriteProblem | undefined;
  #probedAt = 0;

  private constructor(path: string, db: DatabaseSync, schemaVersion: number) {
    this.path = path;
    this.#db = db;
    this.schemaVersion = schemaVersion;
  }

  /** Opens (creating if needed) and migrates. Throws HasyncError with a remedy in the message. */
  static open(path: string, migrations: readonly Migration[] = loadMigrations()): Db {
    if (path !== ':memory:') prepareFile(path);
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(path);
    } catch (err) {
      throw new HasyncError(
        'db_open_failed',
        `cannot open database ${path}: ${errorMessage(err)}`,
        {
          cause: err,
        },
      );
    }
    try {
      checkIntegrity(db, path);
      const current = currentVersion(db);
      const latest = migrations.length;
      if (current > latest) {
        throw new HasyncError(
          'db_newer',
          `database ${path} has schema version ${current}, newer than this HAsync understands ` +
            `(${latest}); it was left untouched. Upgrade HAsync or restore a backup.`,
        );
      }
      db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;');
      db.exec('PRAGMA busy_timeout = 5000;');
      applyMigrations(db, migrations, current);
      return new Db(path, db, latest);
    } catch (err) {
      db.close();
      if (err instanceof HasyncError) throw err;
      throw new HasyncError('db_corrupt', `database ${path} is unreadable: ${errorMessage(err)}`, {
        cause: err,
      });
    }
  }

  get<T>(sql: string, ...params: SqlParam[]): T | undefined {
    return this.#statement(sql).get(...params) as T | undefined;
  }

  all<T>(sql: string, ...params: SqlParam[]): T[] {
    return this.#statement(sql).all(...params) as T[];
  }

  run(sql: string, ...params: SqlParam[]): { changes: number; lastInsertRowid: number } {
    const result = this.#watch(() => this.#statement(sql).run(...params));
    return { changes: Number(result.changes), lastInsertRowid: Number(result.lastInsertRowid) };
  }

  /** Runs fn inside BEGIN IMMEDIATE … COMMIT; any throw rolls everything back. */
  transaction<T>(fn: () => T): T {
    this.#watch(() => this.#db.exec('BEGIN IMMEDIATE'));
    try {
      const result = fn();
      this.#watch(() => this.#db.exec('COMMIT'));
      return result;
    } catch (err) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw err;
    }
  }

  /**
   * Why writes are failing (full or read-only disk, I/O errors), or undefined when the last write
   * worked. While there is a problem, this tries a small write now and then to notice recovery.
   */
  writeProblem(): WriteProblem | undefined {
    const now = Date.now();
    if (this.#writeProblem && !this.#closed && now - this.#probedAt >= WRITE_PROBE_INTERVAL_MS) {
      this.#probedAt = now;
      try {
        this.run(WRITE_PROBE, String(now));
      } catch {
        // still failing: #watch kept the problem
      }
    }
    return this.#writeProblem;
  }

  /** Runs a write, remembering a storage fault (and forgetting it once a write works again). */
  #watch<T>(write: () => T): T {
    try {
      const result = write();
      // Inside a transaction nothing reached the disk yet: only a commit proves writes work.
      if (!this.#db.isTransaction) this.#writeProblem = undefined;
      return result;
    } catch (err) {
      const code = (err as { errcode?: unknown }).errcode;
      if (typeof code === 'number' && STORAGE_FAULTS.has(code & 0xff)) {
        this.#writeProblem ??= { reason: errorMessage(err), since: Date.now() };
      }
      throw err;
    }
  }

  /** True once close() was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** True when the database answers a query; used by health checks. */
  isHealthy(): boolean {
    if (this.#closed) return false;
    try {
      this.#statement('SELECT count(*) FROM schema_migrations').get();
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#statements.clear();
    this.#db.close();
  }

  #statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}

/** Creates the folder; refuses a file that exists but is not an SQLite database. */
function prepareFile(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (err) {
    throw new HasyncError(
      'db_open_failed',
      `cannot create the data folder ${dirname(path)}: ${errorMessage(err)}`,
      { cause: err },
    );
  }
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return; // does not exist yet: SQLite creates it
  }
  if (size === 0) return;
  const header = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1') !== SQLITE_HEADER) {
    throw new HasyncError(
      'db_not_sqlite',
      `${path} is not an SQLite database; it was left untouched. Move it away or restore a backup.`,
    );
  }
}

function checkIntegrity(db: DatabaseSync, path: string): void {
  const rows = db.prepare('PRAGMA quick_check').all() as { quick_check: string }[];
  const problems = rows.map((row) => row.quick_check).filter((text) => text !== 'ok');
  if (problems.length > 0) {
    throw new HasyncError(
      'db_corrupt',
      `database ${path} is corrupt (${problems.slice(0, 3).join('; ')}); it was left untouched. ` +
        'Restore a backup or move it away to start fresh.',
    );
  }
}

function currentVersion(db: DatabaseSync): number {
  const table = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (!table) return 0;
  const row = db.prepare('SELECT max(version) AS version FROM schema_migrations').get() as {
    version: number | null;
  };
  return row.version ?? 0;
}

function applyMigrations(
  db: DatabaseSync,
  migrations: readonly Migration[],
  current: number,
): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations ' +
      '(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT',
  );
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        Date.now(),
      );
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw new HasyncError(
        'db_migration_failed',
        `migration ${migration.version}-${migration.name} failed: ${errorMessage(err)}`,
        { cause: err },
      );
    }
  }
}
