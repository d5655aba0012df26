// Applies sql/NNN_name.sql files in order, each in its own transaction, recording them in
// schema_migrations; a table lock keeps two processes from migrating at once. Privileged setup
// (sql/superuser.sql: roles, pgvector, revoked built-ins) runs first when connected as a
// superuser; otherwise it must have been run by one, and migrate says so if it was not.
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Db } from './types.js';

export const sqlDir = fileURLToPath(new URL('../../sql/', import.meta.url));

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
  await ensurePrivilegedSetup(db, dir);
  const [can] = await db.query<{ create: boolean }>("select has_schema_privilege('public', 'create') as create");
  if (!can?.create) {
    throw new Error(
      `${pending.length} database migration(s) pending (${pending.join(', ')}), and this role may not change the schema: ` +
        'run "erp-mcp migrate" with DATABASE_URL of the owner role, then start the server again',
    );
  }
  await db.exec(`create table if not exists schema_migrations (
    name text primary key, applied_at timestamptz not null default now())`);
  const result: MigrationResult = { applied: [], skipped: [] };
  for (const name of await listMigrations(dir)) {
    const script = await readFile(`${dir}/${name}`, 'utf8');
    const applied = await db.transaction(async (tx) => {
      await tx.query('lock table schema_migrations in share row exclusive mode');
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

/** Runs sql/superuser.sql as a superuser, or checks that a superuser already has. */
export async function ensurePrivilegedSetup(db: Db, dir = sqlDir): Promise<void> {
  const [me] = await db.query<{ superuser: boolean; name: string }>(
    'select rolsuper as superuser, current_user as name from pg_roles where rolname = current_user',
  );
  if (me?.superuser) {
    await db.exec(await readFile(`${dir}/superuser.sql`, 'utf8'));
    return;
  }
  const [state] = await db.query<{ roles: number; sealed: boolean }>(`
    select (select count(*)::int from pg_roles where rolname in ('erp_app', 'erp_reader', 'erp_reader_admin')) as roles,
           not has_function_privilege('public', 'pg_catalog.set_config(text, text, boolean)', 'execute') as sealed`);
  if (state?.roles !== 3 || !state.sealed) {
    throw new Error(
      `The database is not prepared for erp-mcp: ${me?.name ?? 'this role'} is not a superuser, ` +
        'so a superuser must first run sql/superuser.sql against this database (roles, pgvector, revoked built-ins); see README "Production PostgreSQL"',
    );
  }
}

export async function pendingMigrations(db: Db, dir = sqlDir): Promise<string[]> {
  const [table] = await db.query<{ t: string | null }>(`select to_regclass('schema_migrations')::text as t`);
  const all = await listMigrations(dir);
  if (!table?.t) return all;
  const done = new Set((await db.query<{ name: string }>('select name from schema_migrations')).map((r) => r.name));
  return all.filter((n) => !done.has(n));
}
