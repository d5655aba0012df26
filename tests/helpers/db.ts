// Fresh, migrated databases for tests: PGlite always, PostgreSQL when DATABASE_URL is set.
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { describe, inject } from 'vitest';
import { openPglite } from '../../src/db/pglite.js';
import { openPostgres } from '../../src/db/postgres.js';
import type { Db } from '../../src/db/types.js';
import { APP_ROLE, OWNER_ROLE, withDatabase, withRole } from './global-setup.js';

export type DbKind = 'pglite' | 'postgres';

/** The database kinds this run covers; use with describe.each. */
export const dbKinds: DbKind[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/**
 * For suites that need PostgreSQL itself: ['postgres'] when DATABASE_URL is set, else the
 * suite is listed as skipped (an empty describe.each would make the file fail as empty).
 */
export const postgresKinds: DbKind[] = ['postgres'];
export const describePostgres = process.env.DATABASE_URL
  ? describe.each(postgresKinds)
  : describe.skip.each(postgresKinds);

export interface TestDb extends Db {
  /** For PostgreSQL: a URL of this very database as the server's role, for spawning processes. */
  url?: string;
  /** The migrations' owner, for tests that tamper with what the server may not touch. */
  owner: Db;
}

export async function freshDb(kind: DbKind): Promise<TestDb> {
  if (kind === 'pglite') {
    const template = await readFile(inject('pgliteTemplate'));
    const db = await openPglite({ loadDataDir: new Blob([template]) });
    return { ...db, owner: db };
  }
  const adminUrl = process.env.DATABASE_URL!;
  const name = `erp_t_${randomBytes(6).toString('hex')}`;
  const admin = await openPostgres(adminUrl, { max: 1 });
  await admin.exec(`create database ${name} template ${inject('postgresTemplate')} owner ${OWNER_ROLE}`);
  await admin.close();
  const url = withRole(withDatabase(adminUrl, name), APP_ROLE);
  const db = await openPostgres(url, { max: 25 });
  const owner = await openPostgres(withRole(withDatabase(adminUrl, name), OWNER_ROLE), { max: 2 });
  return {
    ...db,
    url,
    owner,
    close: async () => {
      await db.close();
      await owner.close();
      const a = await openPostgres(adminUrl, { max: 1 });
      await a.exec(`drop database if exists ${name} with (force)`);
      await a.close();
    },
  };
}

export async function count(db: Db, table: string): Promise<number> {
  const [row] = await db.query<{ n: number }>(`select count(*)::int as n from ${table}`);
  return row!.n;
}
