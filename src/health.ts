// `erp-mcp health`, and the one-line explanations of the errors a newcomer meets first.
import type { Config } from './config.js';
import { openDb } from './db/index.js';
import { pendingMigrations } from './db/migrate.js';
import { createEmbedder, ModelMissingError } from './rag/embedder.js';

export interface HealthCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** The database this configuration uses, for banners and messages: never the password. */
export const describeDatabase = (cfg: Config) =>
  cfg.databaseUrl ? `PostgreSQL at ${redact(cfg.databaseUrl)}` : `the embedded database in ${cfg.dataDir}`;

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
    return `Cannot reach ${describeDatabase(cfg)} (${e.code}): start PostgreSQL or fix DATABASE_URL — or unset DATABASE_URL to use the embedded database`;
  }
  if (e?.code === '28P01' || e?.code === '28000')
    return `PostgreSQL refused the login in DATABASE_URL (${e.code}): check the user and password`;
  if (e?.code === '3D000') return `The database in DATABASE_URL does not exist: create it (createdb) or fix the URL`;
  if (/extension "vector"|vector\.control/.test(message)) {
    return `${describeDatabase(cfg)} has no pgvector extension: install it (Debian/Ubuntu: apt install postgresql-<version>-pgvector; or run scripts/install-pgvector.sh) and retry`;
  }
  if (error instanceof ModelMissingError) return message; // it already says where it looked and what to set
  if (/EADDRINUSE|is in use; choose another/.test(message)) return message;
  if (/lock|already in use|EBUSY/i.test(message) && !cfg.databaseUrl) {
    return (
      `The embedded database in ${cfg.dataDir} is held by a process that does not answer on its socket (see erp-mcp.lock there): ` +
      'if that process is gone or hung, stop it; erp-mcp processes share a data dir on their own'
    );
  }
  return undefined;
}

export async function healthChecks(cfg: Config): Promise<HealthCheck[]> {
  const checks: HealthCheck[] = [];
  try {
    const db = await openDb(cfg);
    try {
      const [v] = await db.query<{ version: string }>('select version() as version');
      checks.push({ name: 'database', ok: true, detail: `${describeDatabase(cfg)}: ${v!.version.split(' on ')[0]}` });
      const [ext] = await db.query<{ available: string | null; installed: string | null }>(
        `select (select default_version from pg_available_extensions where name = 'vector') as available,
                (select extversion from pg_extension where extname = 'vector') as installed`,
      );
      checks.push(
        ext?.available || ext?.installed
          ? {
              name: 'pgvector',
              ok: true,
              detail: `vector ${ext.installed ?? ext.available}${ext.installed ? '' : ' (available; migrate installs it)'}`,
            }
          : {
              name: 'pgvector',
              ok: false,
              detail:
                'the vector extension is not installed on this PostgreSQL: apt install postgresql-<version>-pgvector',
            },
      );
      const pending = await pendingMigrations(db);
      checks.push(
        pending.length === 0
          ? { name: 'migrations', ok: true, detail: 'all applied' }
          : {
              name: 'migrations',
              ok: false,
              detail: `${pending.length} pending (${pending.join(', ')}): run "erp-mcp migrate" (stdio and http also apply them)`,
            },
      );
    } finally {
      await db.close();
    }
  } catch (error) {
    checks.push({
      name: 'database',
      ok: false,
      detail: explainStartupError(error, cfg) ?? `cannot open ${describeDatabase(cfg)}: ${(error as Error).message}`,
    });
  }
  checks.push(await modelCheck(cfg));
  return checks;
}

/**
 * Loads the embedding model and embeds one short text, as the first search or ingest would: a
 * folder can hold a config.json and still not load (missing or corrupt weights, wrong model id).
 */
async function modelCheck(cfg: Config): Promise<HealthCheck> {
  const embedder = createEmbedder({ modelDir: cfg.modelDir, model: cfg.embedModel });
  try {
    const [vector] = await embedder.embed(['health check']);
    if (!vector?.length || !vector.every(Number.isFinite))
      throw new Error(`${cfg.embedModel} loaded but returned no usable vector`);
    return {
      name: 'embedding model',
      ok: true,
      detail: `${cfg.embedModel} from ${embedder.path}: loaded, ${vector.length}-dimensional vectors`,
    };
  } catch (error) {
    return { name: 'embedding model', ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}
