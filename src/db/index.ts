// Picks the driver: PostgreSQL when a URL is given, otherwise embedded PGlite in a data dir,
// shared with every other erp-mcp process on that dir.
import { mkdir } from 'node:fs/promises';
import { openPostgres } from './postgres.js';
import { openSharedPglite } from './shared-pglite.js';
import type { Db } from './types.js';

export type { Db, Tx, Row } from './types.js';

export interface DbTarget {
  databaseUrl?: string;
  dataDir: string;
}

export async function openDb(target: DbTarget): Promise<Db> {
  if (target.databaseUrl) return openPostgres(target.databaseUrl);
  await mkdir(target.dataDir, { recursive: true });
  return openSharedPglite(target.dataDir);
}
