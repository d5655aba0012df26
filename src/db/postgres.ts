// Server driver: PostgreSQL (≥ 15, with pgvector) through postgres.js, for teams and production.
import postgres from 'postgres';
import { isConnectionLost } from './lost-connection.js';
import { Statements, withSavepoint } from './statements.js';
import type { Db, QueryOptions, Tx } from './types.js';
import { typeParsers } from './types.js';

type Sql = postgres.Sql | postgres.TransactionSql;

// Every oid we parse is also serialised as plain text, so strings pass through untouched.
// JSON parameters that are already strings are JSON text (as PGlite treats them), not values.
const types = {
  ...Object.fromEntries(
    Object.entries(typeParsers).map(([oid, parse]) => [
      `t${oid}`,
      {
        to: Number(oid),
        from: [Number(oid)],
        parse,
        serialize: (x: unknown) => (x instanceof Date ? x.toISOString() : String(x)),
      },
    ]),
  ),
  json: {
    to: 3802,
    from: [114, 3802],
    parse: (x: string) => JSON.parse(x) as unknown,
    serialize: (x: unknown) => (typeof x === 'string' ? x : JSON.stringify(x)),
  },
};

// Always the extended protocol, as PGlite's query(): one statement per call, never a script. On
// PostgreSQL our own statements are prepared once per connection: an unnamed statement with
// parameters costs postgres.js a Describe round trip before every Bind, and holds back everything
// pipelined behind it. A statement made from a caller's text (run_query) runs unnamed, so callers
// cannot grow the connection's statement cache.
const EXTENDED = { simple: false } as postgres.UnsafeQueryOptions;
const PREPARED = { simple: false, prepare: true } as postgres.UnsafeQueryOptions;
const optionsFor = (kind: Tx['kind'], options?: QueryOptions) =>
  kind === 'postgres' && !options?.adHoc ? PREPARED : EXTENDED;
const params = (values: readonly unknown[]) => values as postgres.ParameterOrJSON<never>[];

function wrap(sql: Sql, kind: Tx['kind'], statements = new Statements()): Tx {
  return {
    kind,
    query<T extends object>(text: string, values: readonly unknown[] = [], options?: QueryOptions) {
      return statements.track(
        sql.unsafe(text, params(values), optionsFor(kind, options)).then((rows) => rows as unknown as T[]),
      );
    },
    columns(text: string, values: readonly unknown[] = []) {
      return statements.track(
        sql.unsafe(text, params(values), EXTENDED).then((result) => result.columns.map((c) => c.name)),
      );
    },
    async savepoint<T>(fn: (tx: Tx) => Promise<T>) {
      // postgres.js fails a whole transaction when any statement in it fails, unless the statement
      // ran in one of its own savepoint scopes: hence sql.savepoint, not SAVEPOINT by hand.
      if (!('savepoint' in sql)) throw new Error('savepoint() needs a transaction');
      return (await sql.savepoint((inner) => {
        const scope = new Statements();
        return scope.within(() => fn(wrap(inner, kind, scope)));
      })) as T;
    },
    async exec(script: string) {
      await statements.track(sql.unsafe(script)); // no parameters → simple protocol → several statements allowed
    },
  };
}

/**
 * A reserved connection that knows when it is lost. postgres.js puts a closed connection back in
 * its pool at once, and may reconnect it for another caller: after that, a statement sent through
 * the reservation would run there, outside this transaction. So once the socket closes (or a
 * statement fails the way only a lost connection does), nothing more is sent through it.
 */
class Reservation {
  private lost = false;
  private socket: { onclose: (() => void) | null } | null = null;
  private drop!: (error: Error) => void;
  /**
   * Rejects when the connection is lost. Every statement races it: postgres.js never answers a
   * statement that was waiting in a reservation's queue when the socket closed.
   */
  private readonly gone = new Promise<never>((_, reject) => (this.drop = reject));

  constructor(readonly sql: postgres.ReservedSql) {
    this.gone.catch(() => {});
  }

  private loseIt(): void {
    this.lost = true;
    this.drop(Object.assign(new Error('the database connection was lost'), { code: 'CONNECTION_CLOSED' }));
  }

  /** The first statement: it also hooks the connection's close (as postgres.js's own begin does). */
  open(text: string): Promise<unknown> {
    // onexecute's result tells postgres.js whether the connection may take more now: it may.
    const onexecute = (connection: { onclose: (() => void) | null }) => {
      this.socket = connection;
      connection.onclose = () => this.loseIt();
      return true;
    };
    return this.send(text, undefined, { onexecute } as unknown as postgres.UnsafeQueryOptions);
  }

  /** With values, one extended-protocol statement (see optionsFor); without, a simple-protocol script. */
  send<R>(text: string, values?: readonly unknown[], options?: postgres.UnsafeQueryOptions): Promise<R> {
    if (this.lost) return this.gone;
    const sent = values ? this.sql.unsafe(text, params(values), options) : this.sql.unsafe(text, [], options ?? {});
    return Promise.race([
      this.gone,
      sent.then(
        (rows) => rows as R,
        (error: unknown) => {
          if (isConnectionLost(error)) this.loseIt();
          throw error;
        },
      ),
    ]);
  }

  /** Back to the pool, unless it broke: then postgres.js has already taken it back as closed. */
  release(): void {
    if (this.socket) this.socket.onclose = null;
    if (!this.lost) this.sql.release();
  }
}

let savepoints = 0; // names unique in the process, so a nested savepoint never shadows its parent

/**
 * A Tx on a reserved connection whose statements are pipelined: each is sent when issued, without
 * waiting for the one before, so `begin`, the gate's checks and a read travel in one round trip,
 * and the audit row with `commit` in the next. PostgreSQL runs them in order; after a failure the
 * rest fail with 25P02 until a rollback, which is why the first failure is what gets reported.
 */
function pipelined(connection: Reservation, statements: Statements): Tx {
  const send = <R>(text: string, values?: readonly unknown[], options?: QueryOptions) =>
    statements.track(connection.send<R>(text, values, values && optionsFor('postgres', options)));
  return {
    kind: 'postgres',
    query: <T extends object>(text: string, values: readonly unknown[] = [], options?: QueryOptions) =>
      send<T[]>(text, values, options),
    columns: (text: string, values: readonly unknown[] = []) =>
      send<postgres.RowList<postgres.Row[]>>(text, values, { adHoc: true }).then((r) => r.columns.map((c) => c.name)),
    savepoint: (fn) => withSavepoint(send, `erp_sp_${++savepoints}`, (scope) => pipelined(connection, scope), fn),
    async exec(script: string) {
      await send(script);
    },
  };
}

const CONNECT_TIMEOUT_S = 5;

const connectTimeout = (ms: number) =>
  Object.assign(new Error(`no database connection within ${ms / 1000} s`), { code: 'CONNECT_TIMEOUT' });

/**
 * sql.begin, but a transaction that has not started within `ms` fails with CONNECT_TIMEOUT (a lost
 * connection: UNAVAILABLE to the caller). postgres.js can wait forever for a connection while the
 * database refuses them. If it starts later after all, it is abandoned before fn runs, so nothing
 * happens twice or half.
 */
async function beginWithin<T>(
  sql: postgres.Sql,
  ms: number,
  fn: (tx: postgres.TransactionSql) => Promise<T>,
): Promise<T> {
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
      reject(connectTimeout(ms));
    }, ms);
  });
  try {
    return await Promise.race([run, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** sql.reserve(), failing with CONNECT_TIMEOUT after `ms`; a connection that comes later goes back. */
async function reserveWithin(sql: postgres.Sql, ms: number): Promise<postgres.ReservedSql> {
  let timer: NodeJS.Timeout | undefined;
  const reserving = sql.reserve();
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reserving.then(
        (connection) => connection.release(),
        () => {},
      );
      reject(connectTimeout(ms));
    }, ms);
  });
  try {
    return await Promise.race([reserving, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One transaction on PostgreSQL in as few round trips as its statements allow (see pipelined).
 * The connection goes back to the pool once the server has answered its commit or rollback.
 */
async function pipelinedTransaction<T>(sql: postgres.Sql, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const connection = new Reservation(await reserveWithin(sql, CONNECT_TIMEOUT_S * 1000));
  const statements = new Statements();
  try {
    statements.track(connection.open('begin'));
    let value: T;
    try {
      value = await fn(pipelined(connection, statements));
    } catch (error) {
      await statements.settle().catch(() => {});
      await connection.send('rollback').catch(() => {}); // a lost connection has rolled back on its own
      throw statements.cause(error);
    }
    const commit = connection.send<postgres.RowList<postgres.Row[]>>('commit'); // sent behind the statements still in flight (the audit row)
    try {
      await statements.settle();
    } catch (error) {
      await commit.catch(() => {}); // PostgreSQL answers a failed transaction's commit with ROLLBACK
      throw error;
    }
    if ((await commit).command !== 'COMMIT') throw new Error('the transaction was rolled back at commit');
    return value;
  } finally {
    connection.release();
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
    // No JIT: its compile (~30 ms) starts above a plan cost that a short statement reaches as soon as
    // the statistics of a growing table lag behind it, and nothing the server runs is long enough
    // to win it back.
    connection: { TimeZone: 'UTC', application_name: 'erp-mcp', jit: 'off' },
  });
  const base = wrap(sql, kind);
  return {
    kind,
    sql,
    query: base.query,
    columns: base.columns,
    savepoint: base.savepoint,
    exec: base.exec,
    // A PGlite owner behind its socket keeps its backend for the connection inside a transaction
    // from that connection's `begin` on: it gets postgres.js's own, one statement at a time.
    transaction:
      kind === 'postgres'
        ? (fn) => pipelinedTransaction(sql, fn)
        : (fn) =>
            beginWithin(sql, CONNECT_TIMEOUT_S * 1000, (tx) => {
              const statements = new Statements();
              return statements.within(() => fn(wrap(tx, kind, statements)));
            }),
    close: () => sql.end({ timeout: 5 }),
  };
}
