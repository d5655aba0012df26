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
import { DomainError, fromDatabaseError, invalid } from '../shared/errors.js';
import { assertBoundedPlan } from './query-plan.js';

export const LIMITS = {
  rows: 500,
  bytes: 1_000_000,
  rowBytes: 64 * 1024,
  timeoutMs: 3000,
  /** PGlite only: the planner's estimated total cost, about 2–4 s of work there. */
  cost: 100_000,
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

/**
 * The user's query inside our select list: every value passes a size guard computed in
 * PostgreSQL. Whatever the user's text does with parentheses, it only adds to our FROM clause;
 * the columns that leave the database are always these.
 */
function guarded(query: string, width: number): string {
  const cols = Array.from({ length: width }, (_, i) => `c${i + 1}`);
  const size = cols.length ? cols.map((c) => `coalesce(octet_length(q.${c}::text), 0)::bigint`).join(' + ') : '0';
  const values = cols.map((c) => `case when s.n > ${LIMITS.rowBytes} then null else q.${c} end as ${c}`);
  return `select ${[...values, `s.n > ${LIMITS.rowBytes} as erp_oversize`, 's.n as erp_bytes'].join(', ')}
    from (select * from (\n${query}\n) as u offset 0) as q${cols.length ? `(${cols.join(', ')})` : ''}
    cross join lateral (select ${size} as n) as s`;
}

/** Must be the first thing the caller's transaction runs (SET TRANSACTION READ ONLY requires it). */
export async function runReadOnlyQuery(tx: Tx, callerRole: Role, sql: string, params: unknown[]): Promise<QueryResult> {
  const query = sql.trim().replace(/;\s*$/, '');
  const reader = callerRole === 'admin' ? READERS.admin : READERS.other;
  await tx.query('set transaction read only');
  await tx.query(`set local statement_timeout = ${LIMITS.timeoutMs}`);
  await tx.query('savepoint run_query');
  let failed = false;
  try {
    await tx.query(`set local search_path = ${reader.searchPath}`);
    await tx.query(`set local role ${reader.role}`);
    const names = uniqueNames(await tx.columns(`select * from (\n${query}\n) as q limit 0`, params));
    const text = guarded(query, names.length);
    if (tx.kind === 'pglite') await assertBoundedPlan(tx, text, params, LIMITS);
    await tx.query(`declare run_query_rows no scroll cursor for ${text}`, params);
    return await readBounded(tx, names);
  } catch (error) {
    failed = true;
    throw explain(error);
  } finally {
    // Undoes the role, the search path and the cursor; after a lost connection, the first error wins.
    await tx.query('rollback to savepoint run_query').catch((error: unknown) => {
      if (!failed) throw error;
    });
  }
}

type GuardedRow = Record<string, unknown> & { erp_oversize: boolean; erp_bytes: number };

async function readBounded(tx: Tx, names: string[]): Promise<QueryResult> {
  const started = performance.now();
  const rows: Record<string, unknown>[] = [];
  let bytes = 0;
  let stop: 'rows' | 'bytes' | 'time' | null = null;
  let oversized = false;
  while (!stop) {
    const batch = await tx.query<GuardedRow>(`fetch ${BATCH} from run_query_rows`);
    for (const row of batch) {
      if (rows.length === LIMITS.rows) stop = 'rows';
      else if (!row.erp_oversize && bytes + row.erp_bytes > LIMITS.bytes) stop = 'bytes';
      if (stop) break;
      if (row.erp_oversize) oversized = true;
      else bytes += row.erp_bytes;
      rows.push(Object.fromEntries(names.map((name, i) => [name, jsonSafe(row[`c${i + 1}`])])));
    }
    if (batch.length < BATCH) break;
    if (!stop && performance.now() - started > LIMITS.timeoutMs) stop = 'time';
  }
  const reason = stop ?? (oversized ? 'row_too_large' : null);
  return { columns: names, rows, row_count: rows.length, truncated: reason !== null, truncated_reason: reason };
}

/** A one-line error naming what PostgreSQL refused; connection trouble passes through unchanged. */
function explain(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  const code = (error as { code?: unknown })?.code;
  const message = String((error as Error)?.message ?? 'query failed').split('\n')[0]!.replace(/\s+/g, ' ').trim();
  if (typeof code !== 'string' || /^(08|57P|53[1-9]|58)/.test(code)) return error;
  if (code === '42501') {
    return new DomainError('FORBIDDEN', `run_query may not do that: ${message}. It reads only the reporting views listed in erp://schema`);
  }
  if (code === '25006') return new DomainError('FORBIDDEN', `run_query is read-only: ${message}`);
  if (code === '57014') return invalid(`The query ran longer than ${LIMITS.timeoutMs / 1000} s and was stopped; narrow it`);
  if (code === '42P01') return invalid(`${message}: run_query reads the reporting views listed in erp://schema`);
  if (code === '40001' || code === '40P01') return fromDatabaseError(error) ?? error;
  return invalid(`The query failed: ${message}`);
}
