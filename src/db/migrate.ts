// Applies sql/NNN_name.sql files in order, each in its own transaction, recording them in
// schema_migrations; an advisory lock keeps two processes from migrating at once.
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Db } from './types.js';

export const sqlDir = fileURLToPath(new URL('../../sql/', import.meta.url));
const MIGRATION_LOCK = 4_200_001;

export interface MigrationResult {
  applied: string[];
  skipped: string[];
}

export async function listMigrations(dir = sqlDir): Promise<string[]> {
  return (await readdir(dir)).filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f)).sort();
}

export async function migrate(db: Db, dir = sqlDir): Promise<MigrationResult> {
  // The common case at every start: nothing to do, known from two reads without taking the lock.
  const pending = await pendingMigrations(db, dir);
  if (pending.length === 0) return { applied: [], skipped: await listMigrations(dir) };
  await db.exec(`create table if not exists schema_migrations (
    name text primary key, applied_at timestamptz not null default now())`);
  const result: MigrationResult = { applied: [], skipped: [] };
  for (const name of await listMigrations(dir)) {
    const script = await readFile(`${dir}/${name}`, 'utf8');
    const applied = await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const done = await tx.query('select 1 from schema_migrations where name = $1', [name]);
      if (done.length > 0) return false;
      await tx.exec(script);
      await tx.query('insert into schema_migrations (name) values ($1)', [name]);
      return true;
    });
    (applied ? result.applied : result.skipped).push(name);
  }
  return result;
}

export async function pendingMigrations(db: Db, dir = sqlDir): Promise<string[]> {
  const [table] = await db.query<{ t: string | null }>(`select to_regclass('schema_migrations')::text as t`);
  const all = await listMigrations(dir);
  if (!table?.t) return all;
  const done = new Set((await db.query<{ name: string }>('select name from schema_migrations')).map((r) => r.name));
  return all.filter((n) => !done.has(n));
}
