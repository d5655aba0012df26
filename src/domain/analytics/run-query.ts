// run_query: ad-hoc read-only SQL for questions no tool answers. The sandbox is PostgreSQL's own
// permissions (sql/superuser.sql, sql/007): the query runs as a NOLOGIN reader role that may
// SELECT only the reporting views, in a READ ONLY transaction, inside a savepoint that is always
// rolled back. No word list decides anything. This module bounds what a query may consume:
//  - rows and bytes: read through a cursor in small batches that stops at the caps; a row over
//    LIMITS.rowBytes has its values replaced by null inside PostgreSQL, so it never reaches Node;
//  - time: statement_timeout and a wall-clock budget across fetches (PostgreSQL). PGlite cannot
//    interrupt a running query, so there the plan is checked first (see ./query-plan.ts).
import type { Tx } from '../../db/types.js';
import type { Role } from '../platform/users.js';
import { DomainError, fromDatabaseError, invalid, isConnectionLost } from '../shared/errors.js';
import { assertBoundedPlan } from './query-plan.js';

export const LIMITS = {
  rows: 500,
  bytes: 1_000_000,
  rowBytes: 64 * 1024,
  timeoutMs: 3000,
  /** PGlite only: the planner's estimated total cost, about 2–4 s of work there. */
  cost: 100_000,
  /** JSON values nested deeper are refused: 64 KB of '[' would overflow JSON.stringify in the server. */
  depth: 64,
} as const;
const BATCH = 50;

/** The reader role and the schemas it sees, by the caller's role (sql/007). */
const READERS = {
  admin: { role: 'erp_reader_admin', searchPath: 'reporting_admin, reporting' },
  other: { role: 'erp_reader', searchPath: 'reporting' },
} as const;

export interface QueryResult {
  columns: string[];
  rows: Record<string, unknown>[];
  row_count: number;
  truncated: boolean;
  /** Why rows or values are missing: 'rows', 'bytes', 'time' or 'row_too_large'; null when complete. */
  truncated_reason: 'rows' | 'bytes' | 'time' | 'row_too_large' | null;
}

const jsonSafe = (v: unknown): unknown =>
  v instanceof Uint8Array ? `\\x${Buffer.from(v).toString('hex')}` : typeof v === 'bigint' ? v.toString() : v;

/** Output names as the query gave them; a repeated name gets a suffix instead of hiding a column. */
function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}_${n}`;
  });
}

/** a + b + … nested as a balanced tree: PGlite mishandles expressions nested a few hundred deep. */
const sum = (terms: string[]): string =>
  terms.length <= 8
    ? terms.join(' + ')
    : `(${sum(terms.slice(0, terms.length >> 1))}) + (${sum(terms.slice(terms.length >> 1))})`;

/**
 * The user's query inside our select list: every value passes a size guard computed in
 * PostgreSQL. Whatever the user's text does with parentheses, it only adds to our FROM clause;
 * the columns that leave the database are always these. `offset 0` keeps the size a column of s:
 * pulled up, its sum over all n columns would be copied into each of them (n² nodes: 1600
 * columns took PostgreSQL 25 s and a 1 GB allocation to plan).
 */
function guarded(query: string, width: number): string {
  const cols = Array.from({ length: width }, (_, i) => `c${i + 1}`);
  const size = cols.length ? sum(cols.map((c) => `coalesce(octet_length(q.${c}::text), 0)::bigint`)) : '0';
  const values = cols.map((c) => `case when s.n > ${LIMITS.rowBytes} then null else q.${c} end as ${c}`);
  return `select ${[...values, `s.n > ${LIMITS.rowBytes} as erp_oversize`, 's.n as erp_bytes'].join(', ')}
    from (select * from (\n${query}\n) as u offset 0) as q${cols.length ? `(${cols.join(', ')})` : ''}
    cross join lateral (select ${size} as n offset 0) as s`;
}

/** Thrown to roll the savepoint back after a successful read: nothing of the query may stay. */
const UNDO = Symbol('undo run_query');

/**
 * Runs the query in a savepoint that is always rolled back, which undoes the read-only mode, the
 * role, the search path, the timeout and the cursor; the caller's transaction stays usable (its
 * audit row is written there afterwards).
 */
export async function runReadOnlyQuery(tx: Tx, callerRole: Role, sql: string, params: unknown[]): Promise<QueryResult> {
  const query = sql.trim().replace(/;\s*$/, '');
  // The wire protocol ends a statement at NUL: the rest would be read as the message's other fields.
  if (query.includes('\u0000')) throw invalid('The query contains a NUL character');
  const reader = callerRole === 'admin' ? READERS.admin : READERS.other;
  let result: QueryResult | undefined;
  try {
    await tx.savepoint(async (sp) => {
      // One round trip; every value here is ours, none is the caller's.
      await sp.exec(`set transaction read only; set local statement_timeout = ${LIMITS.timeoutMs};
        set local search_path = ${reader.searchPath}; set local role ${reader.role}`);
      // The plan of the query itself, before anything of it runs: the guard adds a little work a
      // row, but EXPLAIN VERBOSE prints the size sum inside every guarded column (n² text: 1200
      // columns crashed Node on PGlite).
      if (sp.kind === 'pglite') await assertBoundedPlan(sp, `select * from (\n${query}\n) as q`, params, LIMITS);
      const names = uniqueNames(await sp.columns(`select * from (\n${query}\n) as q limit 0`, params));
      const text = guarded(query, names.length);
      await sp.query(`declare run_query_rows no scroll cursor for ${text}`, params, { adHoc: true });
      result = await readBounded(sp, names);
      throw UNDO;
    });
  } catch (error) {
    if (error !== UNDO) throw explain(error);
  }
  return result!;
}

type GuardedRow = Record<string, unknown> & { erp_oversize: boolean; erp_bytes: number };

async function readBounded(tx: Tx, names: string[]): Promise<QueryResult> {
  const started = performance.now();
  const rows: Record<string, unknown>[] = [];
  let bytes = 0;
  let stop: 'rows' | 'bytes' | 'time' | null = null;
  let oversized = false;
  while (!stop) {
    // ad hoc too: a prepared fetch would keep the first cursor's columns
    const batch = await tx.query<GuardedRow>(`fetch ${BATCH} from run_query_rows`, [], { adHoc: true });
    for (const row of batch) {
      if (rows.length === LIMITS.rows) stop = 'rows';
      else if (!row.erp_oversize && bytes + row.erp_bytes > LIMITS.bytes) stop = 'bytes';
      if (stop) break;
      if (row.erp_oversize) oversized = true;
      else bytes += row.erp_bytes;
      for (let i = 1; i <= names.length; i++) {
        if (nestedDeeperThan(row[`c${i}`], LIMITS.depth)) {
          throw invalid(
            `Column ${names[i - 1]} holds a value nested deeper than ${LIMITS.depth} levels; select it as text (::text)`,
          );
        }
      }
      rows.push(Object.fromEntries(names.map((name, i) => [name, jsonSafe(row[`c${i + 1}`])])));
    }
    if (batch.length < BATCH) break;
    if (!stop && performance.now() - started > LIMITS.timeoutMs) stop = 'time';
  }
  const reason = stop ?? (oversized ? 'row_too_large' : null);
  return { columns: names, rows, row_count: rows.length, truncated: reason !== null, truncated_reason: reason };
}

/** Without recursion: the value may nest tens of thousands of levels deep. */
function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object' || item instanceof Uint8Array) continue;
    if (depth >= max) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}

/** A one-line error naming what PostgreSQL refused; connection trouble passes through unchanged. */
function explain(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  if (/cannot insert multiple commands|at or near ";"/.test(String((error as Error)?.message))) {
    return invalid('run_query takes exactly one statement');
  }
  const code = (error as { code?: unknown })?.code;
  // Bounded: PostgreSQL quotes whole input values in some messages (`'…'::int` of a 50 MB string).
  const message = String((error as Error)?.message ?? 'query failed')
    .slice(0, 1000)
    .split('\n')[0]!
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
  // 08P01 is the caller's: a $n without its parameter (the connection stays usable).
  if (
    typeof code !== 'string' ||
    isConnectionLost(error) ||
    (/^(08|57P|53[1-9]|58)/.test(code) && code !== '08P01' && code !== '53200')
  )
    return error;
  if (code === '42501') {
    return new DomainError(
      'FORBIDDEN',
      `run_query may not do that: ${message}. It reads only the reporting views listed in erp://schema`,
    );
  }
  if (code === '25006') return new DomainError('FORBIDDEN', `run_query is read-only: ${message}`);
  if (code === '57014')
    return invalid(`The query ran longer than ${LIMITS.timeoutMs / 1000} s and was stopped; narrow it`);
  if (code === '53200') return invalid('The query needed more memory than the database could give it; narrow it');
  if (code === '42P01') return invalid(`${message}: run_query reads the reporting views listed in erp://schema`);
  if (code === '40001' || code === '40P01') return fromDatabaseError(error) ?? error;
  return invalid(`The query failed: ${message}`);
}
