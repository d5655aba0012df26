// Picks the driver: PostgreSQL when a URL is given, otherwise embedded PGlite in a data dir.
import { mkdir } from 'node:fs/promises';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';
import type { Db } from './types.js';

export type { Db, Tx, Row } from './types.js';

export interface DbTarget {
  databaseUrl?: string;
  dataDir: string;
}

export async function openDb(target: DbTarget): Promise<Db> {
  if (target.databaseUrl) return openPostgres(target.databaseUrl);
  await mkdir(target.dataDir, { recursive: true });
  return openPglite({ dataDir: target.dataDir });
}
