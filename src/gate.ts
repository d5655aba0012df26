// The one gate every MCP request passes (tools/call, resources/read, resources/list, prompts/get,
// completion/complete), read top to bottom: who is calling (each server is built for one user),
// may they (domain/platform/roles.ts), is the input valid, run it in one transaction together with
// its audit row, map errors. The work commits if and only if its audit row commits; a request that
// is refused or fails is audited in a transaction of its own.
import { ProtocolError, ProtocolErrorCode, ResourceNotFoundError } from '@modelcontextprotocol/server';
import type { Db, Tx } from './db/types.js';
import {
  auditableJson,
  MAX_AUDIT_DEPTH,
  recordToolCall,
  refusedStatus,
  type CallStatus,
} from './domain/platform/audit.js';
import { assertOwnConversation, conversationFromMeta } from './domain/platform/call-context.js';
import { assertActiveUser, type User } from './domain/platform/users.js';
import { now } from './domain/shared/clock.js';
import { DomainError, fromDatabaseError, type ErrorCode } from './domain/shared/errors.js';

export interface GateEnv {
  db: Db;
  user: User;
  log?: (message: string, error?: unknown) => void;
}

/** What the audit row says the request was. */
export interface Request {
  agent: string;
  name: string;
  input: unknown;
  meta?: Record<string, unknown>;
}

/** What a request's work produced: the value for the client and what the audit row records. */
export interface Done<T> {
  value: T;
  output: unknown;
  /** 'error' for a call that was held for approval: its approval row commits with its audit row. */
  status?: CallStatus;
  code?: ErrorCode | null;
  approvalId?: number;
}

/**
 * What a request's work produced when the database builds its output (sql/019 erp_record): the
 * gate sends `answer` behind the work's last statements and before the commit, records it as the
 * audit row's output, and gives it to `finish` for the client.
 */
export interface Answered<T> {
  answer: Answer;
  finish: (output: unknown) => T;
}

export interface Refusal {
  status: CallStatus;
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

const MAX_DEPTH = MAX_AUDIT_DEPTH; // deeper input could not be audited whole

/**
 * The first string that PostgreSQL cannot store (NUL, a lone UTF-16 surrogate), or nesting deeper
 * than MAX_DEPTH, named by its path: a one-line INVALID_INPUT before any validation runs. Top-level
 * arguments are named bare, or under `prefix` (call_operation's inner arguments: `arguments.name`).
 */
export function unstorable(value: unknown, prefix = '', path = prefix || 'arguments', depth = 0): string | null {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return `${path}: must not contain the NUL character`;
    if (!value.isWellFormed()) return `${path}: must be well-formed Unicode (it has a lone surrogate)`;
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  if (depth >= MAX_DEPTH) return `${path}: nested deeper than ${MAX_DEPTH} levels`;
  for (const [key, item] of Object.entries(value)) {
    const where = Array.isArray(value) ? `${path}[${key}]` : depth === 0 && !prefix ? key : `${path}.${key}`;
    const problem = unstorable(key, prefix, `${path} key`, depth + 1) ?? unstorable(item, prefix, where, depth + 1);
    if (problem) return problem;
  }
  return null;
}

/** What an audit row records as the output of a refused, failed or held request. */
export const errorOutput = (code: ErrorCode, message: string, details?: Record<string, unknown>) => ({
  error: { code, message, ...(details ? { details } : {}) },
});

/** Any thrown error as a refusal a client can act on; unknown errors are logged, never shown. */
export function toRefusal(env: GateEnv, name: string, error: unknown): Refusal {
  const domain = error instanceof DomainError ? error : fromDatabaseError(error);
  if (domain) {
    return { status: refusedStatus(domain.code), code: domain.code, message: domain.message, details: domain.details };
  }
  env.log?.(`${name} failed`, error);
  return {
    status: 'error',
    code: 'INTERNAL',
    message: `${name} failed unexpectedly; the error was logged and nothing was changed`,
  };
}

/**
 * Runs a request through the gate. `check` refuses before any work (role, validation); `work`
 * runs in the request's transaction, whose last statement is the audit row. Returns the work's
 * value, or the refusal (already audited) for the caller to shape into its protocol's error.
 */
export async function pass<T>(
  env: GateEnv,
  request: Request,
  check: () => Refusal | null,
  work: (tx: Tx) => Promise<Done<T> | Answered<T>>,
): Promise<{ ok: true; value: T } | { ok: false; refusal: Refusal }> {
  const started = performance.now();
  const audit = (
    tx: Tx,
    done: Pick<Done<unknown>, 'output' | 'status' | 'code' | 'approvalId'>,
    conversationId: number | null,
  ) =>
    recordToolCall(tx, {
      agent: request.agent,
      tool_name: request.name,
      input: request.input ?? {},
      output: done.output,
      status: done.status ?? 'ok',
      error_code: done.code ?? null,
      duration_ms: performance.now() - started,
      user_id: env.user.id,
      approval_id: done.approvalId ?? null,
      conversation_id: conversationId,
    });
  let refusal: Refusal | null;
  let conversationId: number | null = null;
  let linked = false; // the conversation is recorded only once it is known to be the caller's
  try {
    conversationId = conversationFromMeta(request.meta);
    refusal = check();
    const problem = refusal ? null : unstorable(request.input);
    if (problem) refusal = { status: 'invalid', code: 'INVALID_INPUT', message: problem };
  } catch (error) {
    refusal = toRefusal(env, request.name, error);
  }
  if (!refusal) {
    try {
      const value = await env.db.transaction(async (tx) => {
        // The checks are sent with the work's first statements, not waited for before it: the
        // work's result is used, and its transaction commits, only once they have passed.
        const [checked, worked] = await Promise.allSettled([
          Promise.all([
            assertActiveUser(tx, env.user), // disabled since this server was built: refused from the next request on
            conversationId !== null ? assertOwnConversation(tx, conversationId, env.user) : null,
          ]),
          work(tx),
        ]);
        if (checked.status === 'rejected') throw checked.reason; // ahead of whatever the work threw
        linked = true;
        if (worked.status === 'rejected') throw worked.reason;
        const done = worked.value;
        // Not awaited: the audit row travels with the commit. Its failure is the transaction's
        // (the driver keeps it and rolls the work back), so the promise itself needs no handler.
        if ('answer' in done) {
          const [text, params] = answerStatement('erp_record', done.answer, env, request, conversationId, started);
          const answered = tx.query<{ answer: unknown }>(text, params);
          answered.catch(() => {});
          return async () => done.finish((await answered)[0]?.answer);
        }
        audit(tx, done, conversationId).catch(() => {});
        return () => done.value;
      });
      return { ok: true, value: await value() };
    } catch (error) {
      refusal = toRefusal(env, request.name, error);
    }
  }
  const output = errorOutput(refusal.code, refusal.message, refusal.details);
  try {
    // In a transaction of its own: a transaction gives up after a few seconds without a connection
    // (src/db/postgres.ts), where a bare statement could wait for ever while the database is away.
    await env.db.transaction((tx) =>
      audit(tx, { output, status: refusal.status, code: refusal.code }, linked ? conversationId : null),
    );
  } catch (error) {
    // Nothing was changed (the request's transaction rolled back or never ran), but say so loudly.
    env.log?.(`audit row for refused ${request.name} could not be written`, error);
  }
  return { ok: false, refusal };
}

/** A call's output as one SQL expression of its parameters ($1, $2, …), json: see ToolDef.answer. */
export interface Answer {
  sql: string;
  params: unknown[];
}

/** The statement that records `answer` as a call's output (sql/019: erp_answer or erp_record) and returns it. */
function answerStatement(
  fn: 'erp_answer' | 'erp_record',
  { sql, params }: Answer,
  env: GateEnv,
  request: Request,
  conversationId: number | null,
  started: number,
): [string, unknown[]] {
  const at = (k: number) => `$${params.length + k}`;
  return [
    `select ${fn}(${sql}, ${at(1)}, ${at(2)}, ${at(3)}, ${at(4)}, ${at(5)}::jsonb, ${at(6)}, ${at(7)}) as answer`,
    [
      ...params,
      env.user.id,
      conversationId,
      request.agent,
      request.name,
      auditableJson(request.input ?? {}),
      now().toISOString(),
      performance.now() - started,
    ],
  ];
}

/**
 * A read in one statement, which is its own transaction: the database computes the answer, checks
 * what pass() would ask it (the caller is active, a linked conversation is theirs), appends the
 * audit row and returns the answer (erp_answer, sql/019). One round trip, where pass() takes two.
 * Returns undefined whenever anything is off (a refusal, a missing record, a failed statement):
 * nothing was written, and the caller runs the request through pass(), which says why and
 * audits that.
 */
export async function answerRead(
  env: GateEnv,
  request: Request,
  check: () => Refusal | null,
  answer: () => Answer,
): Promise<unknown> {
  const started = performance.now();
  try {
    const conversationId = conversationFromMeta(request.meta);
    if (check() || unstorable(request.input)) return undefined;
    const [text, params] = answerStatement('erp_answer', answer(), env, request, conversationId, started);
    const [row] = await env.db.query<{ answer: unknown }>(text, params);
    return row?.answer ?? undefined;
  } catch (error) {
    env.log?.(`${request.name} could not answer in one statement; answering the long way`, error);
    return undefined;
  }
}

// Requests other than tools/call answer with JSON-RPC errors (ProtocolError): a bad argument and,
// as the spec mandates for resources/read, a resource that is not there are -32602 (Invalid
// params; a missing resource as ResourceNotFoundError, its uri in data); a refused caller -32600.
// Our machine code travels in data.code, except on a missing resource, whose data the spec fixes.
const PROTOCOL_CODES: Partial<Record<ErrorCode, number>> = {
  NOT_FOUND: ProtocolErrorCode.InvalidParams,
  INVALID_INPUT: ProtocolErrorCode.InvalidParams,
  FORBIDDEN: ProtocolErrorCode.InvalidRequest,
};

export function protocolError(refusal: Refusal, resourceUri?: string): ProtocolError {
  const message = `${refusal.code}: ${refusal.message}`;
  if (refusal.code === 'NOT_FOUND' && resourceUri !== undefined) return new ResourceNotFoundError(resourceUri, message);
  return new ProtocolError(PROTOCOL_CODES[refusal.code] ?? ProtocolErrorCode.InternalError, message, {
    code: refusal.code,
  });
}
