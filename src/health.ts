// `erp-mcp health`, and the one-line explanations of the errors a newcomer meets first.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.js';
import { openDb } from './db/index.js';
import { pendingMigrations } from './db/migrate.js';

export interface HealthCheck { name: string; ok: boolean; detail: string }

const where = (cfg: Config) => (cfg.databaseUrl ? `PostgreSQL at ${redact(cfg.databaseUrl)}` : `the embedded database in ${cfg.dataDir}`);

/** A URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'DATABASE_URL';
  }
}

/** Turns a start-up failure into one line saying what is wrong and how to fix it, or undefined. */
export function explainStartupError(error: unknown, cfg: Config): string | undefined {
  const e = error as { code?: string; message?: string };
  const message = e?.message ?? '';
  if (['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'CONNECT_TIMEOUT'].includes(e?.code ?? '')) {
    return `Cannot reach ${where(cfg)} (${e.code}): start PostgreSQL or fix DATABASE_URL — or unset DATABASE_URL to use the embedded database`;
  }
  if (e?.code === '28P01' || e?.code === '28000') return `PostgreSQL refused the login in DATABASE_URL (${e.code}): check the user and password`;
  if (e?.code === '3D000') return `The database in DATABASE_URL does not exist: create it (createdb) or fix the URL`;
  if (/extension "vector"|vector\.control/.test(message)) {
    return `${where(cfg)} has no pgvector extension: install it (Debian/Ubuntu: apt install postgresql-<version>-pgvector; or run scripts/install-pgvector.sh) and retry`;
  }
  if (e?.code === 'ModelMissing' || (error as Error)?.name === 'ModelMissingError') return message;
  if (/EADDRINUSE|is in use; choose another/.test(message)) return message;
  if (/lock|already in use|EBUSY/i.test(message) && !cfg.databaseUrl) {
    return `The embedded database in ${cfg.dataDir} is held by a process that does not answer on its socket (see erp-mcp.lock there): ` +
      'if that process is gone or hung, stop it; erp-mcp processes share a data dir on their own';
  }
  return undefined;
}

export async function healthChecks(cfg: Config): Promise<HealthCheck[]> {
  const checks: HealthCheck[] = [];
  try {
    const db = await openDb(cfg);
    try {
      const [v] = await db.query<{ version: string }>('select version() as version');
      checks.push({ name: 'database', ok: true, detail: `${where(cfg)}: ${v!.version.split(' on ')[0]}` });
      const [ext] = await db.query<{ available: string | null; installed: string | null }>(
        `select (select default_version from pg_available_extensions where name = 'vector') as available,
                (select extversion from pg_extension where extname = 'vector') as installed`);
      checks.push(ext?.available || ext?.installed
        ? { name: 'pgvector', ok: true, detail: `vector ${ext.installed ?? ext.available}${ext.installed ? '' : ' (available; migrate installs it)'}` }
        : { name: 'pgvector', ok: false, detail: 'the vector extension is not installed on this PostgreSQL: apt install postgresql-<version>-pgvector' });
      const pending = await pendingMigrations(db);
      checks.push(pending.length === 0
        ? { name: 'migrations', ok: true, detail: 'all applied' }
        : { name: 'migrations', ok: false, detail: `${pending.length} pending (${pending.join(', ')}): run "erp-mcp migrate" (stdio and http also apply them)` });
    } finally {
      await db.close();
    }
  } catch (error) {
    checks.push({ name: 'database', ok: false, detail: explainStartupError(error, cfg) ?? `cannot open ${where(cfg)}: ${(error as Error).message}` });
  }
  if (cfg.modelDir) {
    const folder = join(cfg.modelDir, cfg.embedModel);
    checks.push(existsSync(join(folder, 'config.json'))
      ? { name: 'embedding model', ok: true, detail: `${folder}` }
      : { name: 'embedding model', ok: false, detail: `${folder} has no config.json: set ERP_MODEL_DIR to the folder containing ${cfg.embedModel}/` });
  } else {
    checks.push({ name: 'embedding model', ok: true, detail: `${cfg.embedModel} is fetched once by transformers.js on first use (needs network); set ERP_MODEL_DIR for an offline model` });
  }
  return checks;
}
