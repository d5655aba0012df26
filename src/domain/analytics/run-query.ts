// run_query: ad-hoc read-only SQL for questions no tool answers. Defence in depth:
//  1. lexical gate: one SELECT/WITH/VALUES/TABLE statement, no locking clauses, no functions that
//     act outside the transaction (advisory locks, file and large-object access, signals,
//     dynamic SQL such as query_to_xml) — checked with comments removed;
//  2. the extended protocol refuses more than one statement;
//  3. the caller's transaction is READ ONLY, with a statement timeout (PostgreSQL; PGlite's WASM
//     build has no timer, so there only the row cap and the gate apply);
//  4. the query runs in a savepoint that is always rolled back, undoing even session settings;
//  5. rows are capped by wrapping the query in `select * from (…) limit cap + 1`.
import type { Tx } from '../../db/types.js';
import { DomainError, fromDatabaseError, invalid } from '../shared/errors.js';

export const ROW_CAP = 500;
export const TIMEOUT_MS = 3000;

const FORBIDDEN = [
  /\bfor\s+(?:no\s+key\s+)?(?:update|share)\b/, /\bfor\s+key\s+share\b/, /\binto\b/,
  /advisory/, /\bpg_sleep/, /\bpg_notify\b/, /\bpg_(?:terminate|cancel)_backend\b/, /\bpg_reload_conf\b/, /\bpg_rotate_logfile\b/,
  /\bpg_(?:read|stat)_(?:binary_)?file\b/, /\bpg_ls_\w+/, /\bpg_file_\w+/, /\blo_\w+/, /\bdblink\w*/, /\bset_config\b/,
  /\b(?:query|cursor)_to_xml\w*/, /\bpg_(?:switch_wal|create_restore_point|promote|backup_start|backup_stop)\b/, /\bpg_logical_\w+/,
  /\bpg_replication_\w+/, /\bpg_import_system_collations\b/, /\btxid_current\b/, /\bpg_current_xact_id\b/, /\bnextval\b/, /\bsetval\b/,
  /\bcurrval\b/, /\blastval\b/, /\bpg_copy_\w+/, /\bpg_drop_\w+/,
];
const STARTS = /^\(*\s*(?:select|with|values|table)\b/;

/** Removes -- and nested /* *\/ comments so they cannot hide a keyword or split one. */
export function stripComments(sql: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < sql.length; i++) {
    const two = sql.slice(i, i + 2);
    if (depth === 0 && two === '--') {
      while (i < sql.length && sql[i] !== '\n') i++;
      out += ' ';
    } else if (two === '/*') {
      depth++;
      i++;
    } else if (depth > 0 && two === '*/') {
      depth--;
      i++;
      if (depth === 0) out += ' ';
    } else if (depth === 0) out += sql[i];
  }
  if (depth > 0) throw invalid('The query has an unterminated /* comment');
  return out;
}

export function assertReadOnlySql(sql: string): string {
  const trimmed = sql.trim().replace(/;\s*$/, '');
  const plain = stripComments(trimmed).toLowerCase().replace(/\s+/g, ' ').trim();
  if (plain.includes(';')) throw invalid('run_query takes exactly one statement');
  if (!STARTS.test(plain)) throw invalid('run_query runs read-only queries only: start with SELECT, WITH, VALUES or TABLE');
  const hit = FORBIDDEN.find((re) => re.test(plain));
  if (hit) throw invalid(`run_query refuses this query: it uses ${hit.source.replace(/\\b|\\w\+|\(\?:|\)|\\s\+/g, '')}, which can lock, write or act outside the query`);
  return trimmed;
}

export interface QueryResult {
  columns: string[];
  rows: Record<string, unknown>[];
  row_count: number;
  truncated: boolean;
}

const jsonSafe = (v: unknown): unknown =>
  v instanceof Uint8Array ? `\\x${Buffer.from(v).toString('hex')}` : typeof v === 'bigint' ? v.toString() : v;

/** Must be the first thing the caller's transaction runs (SET TRANSACTION READ ONLY requires it). */
export async function runReadOnlyQuery(tx: Tx, sql: string, params: unknown[], cap = ROW_CAP): Promise<QueryResult> {
  const query = assertReadOnlySql(sql);
  await tx.query('set transaction read only');
  await tx.query(`set local statement_timeout = ${TIMEOUT_MS}`);
  await tx.query('savepoint run_query');
  let rows: Record<string, unknown>[];
  try {
    // Newlines end a trailing -- comment in the user's text before our closing parenthesis.
    rows = await tx.query<Record<string, unknown>>(`select * from (\n${query}\n) as run_query limit ${cap + 1}`, params);
  } catch (error) {
    await tx.query('rollback to savepoint run_query');
    const mapped = fromDatabaseError(error);
    const message = (error as Error).message?.split('\n')[0] ?? 'query failed';
    if (mapped?.code === 'CONFLICT') throw mapped;
    throw new DomainError('INVALID_INPUT', `The query failed: ${message}`);
  }
  await tx.query('rollback to savepoint run_query');
  const truncated = rows.length > cap;
  const kept = (truncated ? rows.slice(0, cap) : rows).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, jsonSafe(v)])));
  return { columns: Object.keys(rows[0] ?? {}), rows: kept, row_count: kept.length, truncated };
}
