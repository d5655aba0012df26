// The audit log: one tool_calls row per tools/call, hash-chained so that editing, deleting or
// reordering a row is detectable. There are 32 chains (sql/017): a row is appended under the row lock
// of its chain's head, held until its transaction commits, so each chain is a line in commit order
// and transactions in flight at once append to different chains instead of waiting for each other.
import { createHash } from 'node:crypto';
import type { Tx } from '../../db/types.js';
import { now } from '../shared/clock.js';
import type { ErrorCode } from '../shared/errors.js';
import { decodeCursor, toPage, type Page } from '../shared/pagination.js';

export const GENESIS_HASH = '0'.repeat(64);
const MAX_AUDIT_JSON = 64 * 1024;

export type CallStatus = 'ok' | 'error' | 'invalid' | 'denied';

/** How a refusal with this code is recorded: bad input is 'invalid', a refused caller 'denied'. */
export const refusedStatus = (code: ErrorCode): CallStatus =>
  code === 'INVALID_INPUT' ? 'invalid' : code === 'FORBIDDEN' ? 'denied' : 'error';

export interface ToolCallRecord {
  agent: string;
  tool_name: string;
  input: unknown;
  output: unknown;
  status: CallStatus;
  error_code: string | null;
  duration_ms: number;
  user_id: number | null;
  conversation_id?: number | null;
  approval_id?: number | null;
}

export interface ToolCallRow {
  id: number;
  agent: string;
  tool_name: string;
  input_json: unknown;
  output_json: unknown;
  status: CallStatus;
  error_code: string | null;
  duration_ms: number;
  user_id: number | null;
  conversation_id: number | null;
  approval_id: number | null;
  /** Which of the hash chains (0–31) the row links into; a quiet server writes chain 0 only. */
  chain: number;
  prev_hash: string;
  hash: string;
  created_at: string;
}

/** JSON with sorted keys, so a value hashes the same after a round trip through jsonb. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The deepest nesting an audit row records; the gate refuses deeper input outright. */
export const MAX_AUDIT_DEPTH = 32;

/** A string PostgreSQL can store: NUL and lone surrogates are written as visible \\u escapes. */
export function storableText(text: string): string {
  return text.replace(
    /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Copies a value into plain JSON, escaping what text cannot hold and cutting what is too deep. */
function storable(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return storableText(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (value === null || typeof value !== 'object')
    return typeof value === 'boolean' ? value : value === undefined ? null : String(value);
  if (depth >= MAX_AUDIT_DEPTH) return `[nested deeper than ${MAX_AUDIT_DEPTH} levels: truncated]`;
  if (Array.isArray(value)) return value.map((v) => storable(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), storable(v, depth + 1)]));
}

/** Any value as JSON text jsonb can store: no NUL, no lone surrogates, bounded depth and size. */
export function auditableJson(value: unknown): string {
  const text = JSON.stringify(storable(value, 0));
  if (text.length <= MAX_AUDIT_JSON) return text;
  return JSON.stringify({ truncated: true, bytes: Buffer.byteLength(text), preview: text.slice(0, 2000) });
}

type HashedContent = Pick<
  ToolCallRow,
  | 'created_at'
  | 'agent'
  | 'tool_name'
  | 'status'
  | 'error_code'
  | 'duration_ms'
  | 'user_id'
  | 'approval_id'
  | 'input_json'
  | 'output_json'
>;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Version 1 of the digest of a row's content, for rows written before sql/019 (version 2 is
 * computed by the database, audit_content_digest); the chain hash binds it to its place.
 */
export function contentDigest(row: HashedContent): string {
  return sha256(
    JSON.stringify([
      row.created_at,
      row.agent,
      row.tool_name,
      row.status,
      row.error_code,
      row.duration_ms,
      row.user_id,
      row.approval_id,
      canonicalJson(row.input_json),
      canonicalJson(row.output_json),
    ]),
  );
}

/** Mirrors append_tool_call() as sql/019 defines it; `digest` is the content's, of the row's version. */
export function rowHash(prevHash: string, row: Pick<ToolCallRow, 'id' | 'conversation_id'>, digest: string): string {
  return sha256(`${prevHash}|${row.id}|${row.conversation_id ?? ''}|${digest}`);
}

/**
 * Appends one audited request in one statement (append_tool_call, sql/019, which also computes
 * the row's content digest). Given the request's own transaction, the work commits if and only if
 * its row does; given the database, the row stands alone (refused and failed requests). The
 * chain's lock is held until that commit.
 */
export async function recordToolCall(tx: Tx, record: ToolCallRecord): Promise<number> {
  const [row] = await tx.query<{ id: number }>(
    'select append_tool_call($1, $2, $3::jsonb, $4::jsonb, $5, $6, $7, $8, $9, $10, $11, null) as id',
    [
      storableText(record.agent),
      storableText(record.tool_name.slice(0, 200)),
      auditableJson(record.input),
      auditableJson(record.output),
      record.status,
      record.error_code,
      Math.max(0, Math.round(record.duration_ms)),
      record.user_id,
      record.conversation_id ?? null,
      record.approval_id ?? null,
      now().toISOString(),
    ],
  );
  return row!.id;
}

const ROW_COLUMNS = `id, agent, tool_name, input_json, output_json, status, error_code, duration_ms, user_id,
  conversation_id, approval_id, chain, prev_hash, hash, created_at`;

/** A row as verification reads it: a version 2 row with its digest, computed by the database from what is stored. */
type WalkedRow = ToolCallRow & { digest: string | null };
const WALKED_COLUMNS = `${ROW_COLUMNS}, case when digest_version = 2 then audit_content_digest(created_at, agent, tool_name,
  status, error_code, duration_ms, user_id, approval_id, input_json, output_json) end as digest`;

export interface AuditVerification {
  ok: boolean;
  rows_checked: number;
  first_broken_id: number | null;
  problem: string | null;
}

/**
 * Walks every row in id order, following each chain's links, and reports the first row whose link
 * or content is wrong. A link shows a row missing before another; each chain's head, read first,
 * shows its newest row missing too: the row it names must be there, in its chain, with its hash.
 *
 * Ids are drawn under a chain's lock, so within a chain they rise in commit order, but across
 * chains a row can commit after a higher id of another chain: a page read meanwhile passes over
 * it. A row whose link points past what the walk has seen of its chain is therefore checked again
 * after reading the chain's rows in between, which committed since; only a link still broken
 * then is reported.
 */
export async function verifyAuditLog(tx: Tx): Promise<AuditVerification> {
  const heads = new Map(
    (
      await tx.query<{ chain: number; last_id: number; last_hash: string }>(
        'select chain, last_id, last_hash from audit_head where last_id is not null',
      )
    ).map((h) => [h.last_id, h]),
  );
  const expectedPrev = new Map<number, string>(); // chain → the hash its next row must link to
  const lastSeen = new Map<number, number>(); // chain → the id of its last row walked
  let checked = 0;
  const linked = (row: WalkedRow) => row.prev_hash === (expectedPrev.get(row.chain) ?? GENESIS_HASH);
  /** Checks one row in its chain's order; a problem, or null once it is part of the chain. */
  const check = (row: WalkedRow): string | null => {
    if (!linked(row)) return 'its link to the previous row is broken (a row before it was deleted, inserted or edited)';
    if (rowHash(row.prev_hash, row, row.digest ?? contentDigest(row)) !== row.hash)
      return 'its content does not match its hash (the row was edited)';
    const head = heads.get(row.id);
    if (head && (head.chain !== row.chain || head.last_hash !== row.hash))
      return `it is not the row the head of audit chain ${head.chain} names (the row was replaced)`;
    heads.delete(row.id);
    expectedPrev.set(row.chain, row.hash);
    lastSeen.set(row.chain, row.id);
    checked += 1;
    return null;
  };
  let afterId = 0;
  for (;;) {
    const rows = await tx.query<WalkedRow>(
      `select ${WALKED_COLUMNS} from tool_calls where id > $1 order by id limit 1000`,
      [afterId],
    );
    if (rows.length === 0) {
      const [missing] = [...heads.values()].sort((a, b) => a.last_id - b.last_id);
      if (missing)
        return broken(checked, missing.last_id, `it is missing: it was the newest row of audit chain ${missing.chain}`);
      return { ok: true, rows_checked: checked, first_broken_id: null, problem: null };
    }
    for (const row of rows) {
      afterId = row.id;
      let problem = check(row);
      if (problem && !linked(row)) {
        const between = await tx.query<WalkedRow>(
          `select ${WALKED_COLUMNS} from tool_calls where chain = $1 and id > $2 and id < $3 order by id`,
          [row.chain, lastSeen.get(row.chain) ?? 0, row.id],
        );
        for (const late of between) {
          const lateProblem = check(late);
          if (lateProblem) return broken(checked, late.id, lateProblem);
        }
        if (between.length > 0) problem = check(row);
      }
      if (problem) return broken(checked, row.id, problem);
    }
  }
}

const broken = (checked: number, id: number, problem: string): AuditVerification => ({
  ok: false,
  rows_checked: checked,
  first_broken_id: id,
  problem: `tool_calls row ${id}: ${problem}`,
});

export interface ListToolCallsInput {
  tool_name?: string;
  user_id?: number;
  status?: CallStatus;
  since?: string;
  limit: number;
  cursor?: string;
}

/** Newest first. */
export async function listToolCalls(tx: Tx, input: ListToolCallsInput): Promise<Page<ToolCallRow>> {
  const before = decodeCursor(input.cursor, ['number']);
  const rows = await tx.query<ToolCallRow>(
    `select ${ROW_COLUMNS} from tool_calls
     where ($1::text is null or tool_name = $1) and ($2::int is null or user_id = $2)
       and ($3::text is null or status = $3) and ($4::timestamptz is null or created_at >= $4)
       and ($5::int is null or id < $5)
     order by id desc limit $6`,
    [
      input.tool_name ?? null,
      input.user_id ?? null,
      input.status ?? null,
      input.since ?? null,
      before?.[0] ?? null,
      input.limit + 1,
    ],
  );
  return toPage(
    rows,
    input.limit,
    (r) => [r.id],
    (r) => r,
  );
}
