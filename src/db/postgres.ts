// Server driver: PostgreSQL (≥ 15, with pgvector) through postgres.js, for teams and production.
import postgres from 'postgres';
import type { Db, Row, Tx } from './types.js';
import { typeParsers } from './types.js';

type Sql = postgres.Sql | postgres.TransactionSql;

// Every oid we parse is also serialised as plain text, so strings pass through untouched.
// JSON parameters that are already strings are JSON text (as PGlite treats them), not values.
const types = {
  ...Object.fromEntries(
    Object.entries(typeParsers).map(([oid, parse]) => [
      `t${oid}`,
      { to: Number(oid), from: [Number(oid)], parse, serialize: (x: unknown) => (x instanceof Date ? x.toISOString() : String(x)) },
    ]),
  ),
  json: {
    to: 3802,
    from: [114, 3802],
    parse: (x: string) => JSON.parse(x) as unknown,
    serialize: (x: unknown) => (typeof x === 'string' ? x : JSON.stringify(x)),
  },
};

function wrap(sql: Sql, kind: Tx['kind']): Tx {
  return {
    kind,
    async query<T extends object>(text: string, params: readonly unknown[] = []) {
      // Always the extended protocol, as PGlite's query(): one statement per call, never a script.
      const rows = await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[], { simple: false } as postgres.UnsafeQueryOptions);
      return rows as unknown as T[];
    },
    async columns(text: string, params: readonly unknown[] = []) {
      const result = await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[], { simple: false } as postgres.UnsafeQueryOptions);
      return result.columns.map((c) => c.name);
    },
    async savepoint<T>(fn: (tx: Tx) => Promise<T>) {
      // postgres.js fails a whole transaction when any statement in it fails, unless the statement
      // ran in one of its own savepoint scopes: hence sql.savepoint, not SAVEPOINT by hand.
      if (!('savepoint' in sql)) throw new Error('savepoint() needs a transaction');
      return (await sql.savepoint((inner) => fn(wrap(inner, kind)))) as T;
    },
    async exec(script: string) {
      await sql.unsafe(script); // no parameters → simple protocol → several statements allowed
    },
  };
}

const CONNECT_TIMEOUT_S = 5;

/**
 * sql.begin, but a transaction that has not started within `ms` fails with CONNECT_TIMEOUT (a lost
 * connection: UNAVAILABLE to the caller). postgres.js can wait forever for a connection while the
 * database refuses them. If it starts later after all, it is abandoned before fn runs, so nothing
 * happens twice or half.
 */
async function beginWithin<T>(sql: postgres.Sql, ms: number, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  let state: 'waiting' | 'started' | 'abandoned' = 'waiting';
  let timer: NodeJS.Timeout | undefined;
  const run = sql.begin(async (tx) => {
    if (state === 'abandoned') throw new Error('abandoned: the caller stopped waiting for this transaction');
    state = 'started';
    clearTimeout(timer);
    return fn(tx);
  }) as Promise<T>;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      if (state !== 'waiting') return;
      state = 'abandoned';
      run.catch(() => {}); // it fails on its own later, or never starts
      reject(Object.assign(new Error(`no database connection within ${ms / 1000} s`), { code: 'CONNECT_TIMEOUT' }));
    }, ms);
  });
  try {
    return await Promise.race([run, late]);
  } finally {
    clearTimeout(timer);
  }
}

export interface PostgresOptions {
  max?: number;
  /**
   * The engine behind the wire. 'pglite' for a PGlite owner served on its socket: it still cannot
   * interrupt a query, and it is one backend shared by every connection, so named prepared
   * statements would outlive the process that made them and collide with other processes' names.
   */
  kind?: Tx['kind'];
  /** A Unix socket path instead of the URL's host and port. */
  path?: string;
}

export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Db & { sql: postgres.Sql }> {
  const kind = options.kind ?? 'postgres';
  const sql = postgres(url, {
    max: options.max ?? 10,
    ...(options.path ? { path: options.path } : {}),
    prepare: kind === 'postgres',
    // While the database is away, fail calls fast and reconnect within a second of its return
    // (the default backoff grows to 20 s, which a waiting client sees as a hang).
    connect_timeout: CONNECT_TIMEOUT_S,
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
    types,
    onnotice: () => {},
    connection: { TimeZone: 'UTC', application_name: 'erp-mcp' },
  });
  const base = wrap(sql, kind);
  return {
    kind,
    sql,
    query: base.query,
    columns: base.columns,
    savepoint: base.savepoint,
    exec: base.exec,
    transaction: (fn) => beginWithin(sql, CONNECT_TIMEOUT_S * 1000, (tx) => fn(wrap(tx, kind))),
    close: () => sql.end({ timeout: 5 }),
  };
}
