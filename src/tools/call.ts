// The one path every tools/call takes: find the tool, check the role, validate the input, run
// it in one transaction, map errors to isError results with a code, and audit the call.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Db } from '../db/types.js';
import { APPROVER_ROLES, requestApproval } from '../domain/platform/approvals.js';
import { recordToolCall, type CallStatus } from '../domain/platform/audit.js';
import type { User } from '../domain/platform/users.js';
import { DomainError, fromDatabaseError, type ErrorCode } from '../domain/shared/errors.js';
import { canCall } from './access.js';
import type { AnyTool, RagServices, ToolContext } from './define.js';

export interface CallEnv {
  db: Db;
  user: User;
  tools: ReadonlyMap<string, AnyTool>;
  rag?: RagServices;
  progress?: ToolContext['progress'];
  log?: (message: string, error?: unknown) => void;
}

interface Outcome {
  result: CallToolResult;
  status: CallStatus;
  code: string | null;
  output: unknown;
  approvalId?: number;
}

type Ran = { kind: 'done'; output: unknown } | { kind: 'held'; approvalId: number; message: string };

export function errorResult(code: ErrorCode, message: string, details?: Record<string, unknown>): CallToolResult {
  return {
    isError: true,
    content: [{ type: 'text', text: `${code}: ${message}` }],
    _meta: { 'erp-mcp/error': { code, message, ...(details ? { details } : {}) } },
  };
}

/** One line naming the first offending argument, e.g. `name: name must not be empty`. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'arguments are invalid';
  const path = issue.path.length ? `${issue.path.join('.')}: ` : '';
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : '';
  return `${path}${issue.message}${more}`.replace(/\s+/g, ' ');
}

function failure(status: CallStatus, code: ErrorCode, message: string, details?: Record<string, unknown>): Outcome {
  return { result: errorResult(code, message, details), status, code, output: { error: { code, message, ...(details ? { details } : {}) } } };
}

async function execute(env: CallEnv, tool: AnyTool | undefined, name: string, args: unknown): Promise<Outcome> {
  if (!tool) return failure('invalid', 'NOT_FOUND', `There is no tool named ${JSON.stringify(name)}`);
  if (!canCall(env.user.role, tool)) {
    return failure('denied', 'FORBIDDEN', `Role ${env.user.role} may not call ${tool.name}`);
  }
  const parsed = tool.input.safeParse(args ?? {});
  if (!parsed.success) return failure('invalid', 'INVALID_INPUT', describeZodError(parsed.error));
  try {
    const ran = await env.db.transaction(async (tx): Promise<Ran> => {
      const ctx: ToolContext = { tx, db: env.db, user: env.user, catalogue: [...env.tools.values()], rag: env.rag, progress: env.progress ?? (async () => {}) };
      const need = await tool.approval?.(ctx, parsed.data);
      if (need) {
        const approval = await requestApproval(tx, { module: need.module, reason: need.reason, requested_by: env.user.id, payload: { tool: tool.name, input: args ?? {} } });
        const roles = (APPROVER_ROLES[need.module] ?? ['admin']).join(' or ');
        return { kind: 'held', approvalId: approval.id, message: `${need.reason}: approval ${approval.id} was requested; another user with role ${roles} must approve it with decide_approval` };
      }
      const raw = await tool.run(ctx, parsed.data);
      return { kind: 'done', output: tool.output.parse(raw) as unknown }; // a mismatch is our bug: it rolls the work back
    });
    if (ran.kind === 'held') {
      return { ...failure('error', 'APPROVAL_REQUIRED', ran.message, { approval_id: ran.approvalId }), approvalId: ran.approvalId };
    }
    const output = ran.output;
    const links = (tool.links?.(output) ?? []).map((l) => ({ type: 'resource_link' as const, ...l }));
    const result: CallToolResult = {
      content: [{ type: 'text', text: tool.summary(output) }, ...links],
      structuredContent: output as Record<string, unknown>,
    };
    return { result, status: 'ok', code: null, output };
  } catch (error) {
    const domain = error instanceof DomainError ? error : fromDatabaseError(error);
    if (domain) return failure(domain.code === 'INVALID_INPUT' ? 'invalid' : 'error', domain.code, domain.message, domain.details);
    env.log?.(`tool ${name} failed`, error);
    return failure('error', 'INTERNAL', `${name} failed unexpectedly; the error was logged and nothing was changed`);
  }
}

/** The conversation a client links a call to, via _meta["erp-mcp/conversation_id"]. */
export const CONVERSATION_META = 'erp-mcp/conversation_id';

export async function callTool(env: CallEnv, name: string, args: unknown, meta?: Record<string, unknown>): Promise<CallToolResult> {
  const started = performance.now();
  const tool = env.tools.get(name);
  const outcome = await execute(env, tool, name, args);
  try {
    await recordToolCall(env.db, {
      agent: tool?.toolset ?? 'unknown',
      tool_name: name,
      input: args ?? {},
      output: outcome.output,
      status: outcome.status,
      error_code: outcome.code,
      duration_ms: performance.now() - started,
      user_id: env.user.id,
      approval_id: outcome.approvalId ?? null,
      conversation_id: Number.isSafeInteger(meta?.[CONVERSATION_META]) ? (meta![CONVERSATION_META] as number) : null,
    });
  } catch (error) {
    // The audit row must never break the call it records; a lost row is reported loudly.
    env.log?.(`audit row for ${name} could not be written`, error);
  }
  return outcome.result;
}
