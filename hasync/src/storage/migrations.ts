import { readdirSync, readFileSync } from 'node:fs';
import { HasyncError } from '../shared/errors.ts';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Beside this module in the sources, and beside the bundle in dist/ (the build copies them). */
const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
const FILE_PATTERN = /^(\d{3})-([a-z0-9-]+)\.sql$/;

/** Reads `NNN-name.sql` files in version order; numbers must run 1, 2, 3… without gaps. */
export function loadMigrations(dir: URL = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .map((file) => ({ file, match: FILE_PATTERN.exec(file) }))
    .filter((entry) => entry.match !== null)
    .map(({ file, match }) => ({
      version: Number(match?.[1]),
      name: String(match?.[2]),
      sql: readFileSync(new URL(file, dir), 'utf8'),
    }))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new HasyncError('internal_error', `migration ${m.version} is out of sequence`);
    }
  });
  return migrations;
}
