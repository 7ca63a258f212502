import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, test } from 'node:test';
import { HasyncError } from '../../src/shared/errors.ts';
import { Db } from '../../src/storage/db.ts';
import { loadMigrations } from '../../src/storage/migrations.ts';
import { tempDir } from '../helpers/tmp.ts';

let dir: string;
let cleanup: () => void;
let path: string;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  path = join(dir, 'hasync.db');
});
afterEach(() => cleanup());

function refusal(fn: () => unknown): HasyncError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof HasyncError, `expected a HasyncError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the database to be refused');
}

function tableNames(db: Db): string[] {
  return db
    .all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .map((row) => row.name);
}

test('a fresh database gets every table and records each migration', () => {
  const db = Db.open(path);
  try {
    const tables = tableNames(db);
    for (const name of [
      'audit_log',
      'device_areas',
      'device_entities',
      'devices',
      'pairings',
      'schema_migrations',
      'settings',
    ]) {
      assert.ok(tables.includes(name), `missing table ${name}`);
    }
    const versions = db.all<{ version: number }>('SELECT version FROM schema_migrations');
    assert.deepEqual(
      versions.map((v) => v.version),
      loadMigrations().map((m) => m.version),
    );
    assert.equal(db.schemaVersion, loadMigrations().length);
  } finally {
    db.close();
  }
});

test('the database runs in WAL mode with foreign keys enforced', () => {
  const db = Db.open(path);
  try {
    assert.equal(db.get<{ journal_mode: string }>('PRAGMA journal_mode')?.journal_mode, 'wal');
    assert.equal(db.get<{ foreign_keys: number }>('PRAGMA foreign_keys')?.foreign_keys, 1);
    assert.throws(
      () => db.run("INSERT INTO device_areas (device_id, area_id) VALUES ('nobody', 'kitchen')"),
      /FOREIGN KEY/,
    );
  } finally {
    db.close();
  }
});

test('opening an up-to-date database again applies nothing and keeps the data', () => {
  const first = Db.open(path);
  first.run("INSERT INTO settings (key, value) VALUES ('greeting', 'hello')");
  const applied = first.all('SELECT * FROM schema_migrations');
  first.close();

  const second = Db.open(path);
  try {
    assert.deepEqual(second.all('SELECT * FROM schema_migrations'), applied);
    assert.equal(second.get<{ value: string }>('SELECT value FROM settings')?.value, 'hello');
  } finally {
    second.close();
  }
});

test('a later migration is applied on top of an existing database', () => {
  const base = loadMigrations();
  Db.open(path, base).close();
  const next = [
    ...base,
    { version: base.length + 1, name: 'extra', sql: 'CREATE TABLE extra (x)' },
  ];
  const db = Db.open(path, next);
  try {
    assert.ok(tableNames(db).includes('extra'));
    assert.equal(db.schemaVersion, base.length + 1);
  } finally {
    db.close();
  }
});

test('a failing migration is rolled back completely and reported', () => {
  const base = loadMigrations();
  Db.open(path, base).close();
  const broken = {
    version: base.length + 1,
    name: 'broken',
    sql: 'CREATE TABLE half_done (x); INSERT INTO no_such_table VALUES (1);',
  };
  const err = refusal(() => Db.open(path, [...base, broken]));
  assert.equal(err.code, 'db_migration_failed');
  assert.match(err.message, /broken/);
  const db = Db.open(path, base);
  try {
    assert.ok(!tableNames(db).includes('half_done'));
    assert.equal(db.schemaVersion, base.length);
  } finally {
    db.close();
  }
});

test('a database from a newer HAsync is refused with a clear message and left untouched', () => {
  Db.open(path).close();
  const raw = new DatabaseSync(path);
  raw.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)");
  raw.close();
  const before = readFileSync(path);

  const err = refusal(() => Db.open(path));
  assert.equal(err.code, 'db_newer');
  assert.match(err.message, /schema version 999, newer than this HAsync understands/);
  assert.match(err.message, /left untouched/);
  assert.deepEqual(readFileSync(path), before);
});

test('a file that is not SQLite is refused and not overwritten', () => {
  const garbage = Buffer.concat([Buffer.from('this is not a database\n'), randomBytes(4096)]);
  writeFileSync(path, garbage);
  const err = refusal(() => Db.open(path));
  assert.equal(err.code, 'db_not_sqlite');
  assert.match(err.message, /is not an SQLite database/);
  assert.deepEqual(readFileSync(path), garbage);
});

test('a corrupt SQLite file gives a clear error and is not overwritten', () => {
  Db.open(path).close();
  const bytes = readFileSync(path);
  // Keep the 100-byte header, scramble the pages holding the schema and tables.
  randomBytes(bytes.length - 100).copy(bytes, 100);
  writeFileSync(path, bytes);
  const before = readFileSync(path);

  const err = refusal(() => Db.open(path));
  assert.equal(err.code, 'db_corrupt');
  assert.match(err.message, /corrupt|unreadable/);
  assert.deepEqual(readFileSync(path), before);
});

test('an empty file is treated as a new database', () => {
  writeFileSync(path, '');
  const db = Db.open(path);
  try {
    assert.ok(tableNames(db).includes('devices'));
  } finally {
    db.close();
  }
});

test('a transaction that throws leaves nothing written', () => {
  const db = Db.open(path);
  try {
    assert.throws(() =>
      db.transaction(() => {
        db.run("INSERT INTO settings (key, value) VALUES ('a', '1')");
        throw new Error('changed my mind');
      }),
    );
    assert.equal(db.get('SELECT * FROM settings'), undefined);
  } finally {
    db.close();
  }
});

test('reports itself unhealthy once closed', () => {
  const db = Db.open(path);
  assert.equal(db.isHealthy(), true);
  db.close();
  assert.equal(db.isHealthy(), false);
});
