// tools/call through the gate (src/gate.ts): find the tool, check the role, validate, run it in
// one transaction with its audit row, and shape the outcome as a tool result (isError + a code).
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { Db } from '../db/types.js';
import { approverRoles } from '../domain/platform/approval-policy.js';
import { requestApproval } from '../domain/platform/approvals.js';
import type { User } from '../domain/platform/users.js';
import type { ErrorCode } from '../domain/shared/errors.js';
import { answerRead, errorOutput, pass, unstorable, type Answered, type Done, type Refusal } from '../gate.js';
import { describeZodError } from '../input.js';
import { canCall, whyNot } from './access.js';
import type { AnyTool, RagServices, ToolContext } from './define.js';
import { renderResultText } from './text.js';

export interface CallEnv {
  db: Db;
  user: User;
  tools: ReadonlyMap<string, AnyTool>;
  rag?: RagServices;
  progress?: ToolContext['progress'];
  log?: (message: string, error?: unknown) => void;
}

export function errorResult(code: ErrorCode, message: string, details?: Record<string, unknown>): CallToolResult {
  return {
    isError: true,
    content: [{ type: 'text', text: `${code}: ${message}` }],
    _meta: { 'erp-mcp/error': errorOutput(code, message, details).error },
  };
}

const refuse = (status: Refusal['status'], code: ErrorCode, message: string): Refusal => ({ status, code, message });

/**
 * A call made through another tool (call_operation): its audit row's agent says so, and its
 * arguments are named as that tool's argument holds them (`arguments.name`).
 */
export interface Via {
  tool: string;
  argumentsAt: string;
  /** What the caller can do about an unknown name. */
  notFoundHint: string;
}

export async function callTool(
  env: CallEnv,
  name: string,
  args: unknown,
  meta?: Record<string, unknown>,
  via?: Via,
): Promise<CallToolResult> {
  const tool = env.tools.get(name);
  let input: unknown;
  const check = (): Refusal | null => {
    if (!tool)
      return refuse(
        'invalid',
        'NOT_FOUND',
        `There is no tool named ${JSON.stringify(name)}${via ? `; ${via.notFoundHint}` : ''}`,
      );
    if (!canCall(env.user, tool)) return refuse('denied', 'FORBIDDEN', whyNot(env.user, tool));
    const unfit = unstorable(args ?? {}, via?.argumentsAt);
    if (unfit) return refuse('invalid', 'INVALID_INPUT', unfit);
    const parsed = tool.input.safeParse(args ?? {});
    if (!parsed.success) return refuse('invalid', 'INVALID_INPUT', describeZodError(parsed.error, via?.argumentsAt));
    input = parsed.data;
    return null;
  };
  const agent = `${tool?.toolset ?? 'unknown'}${via ? ` via ${via.tool}` : ''}`;
  const request = { agent, name, input: args ?? {}, meta };
  /** The tool's output as the client sees it: the data twice, since some hosts hand the model only structuredContent, others only the text. */
  const shaped = (output: unknown): CallToolResult => {
    const links = (tool!.links?.(output) ?? []).map((l) => ({ type: 'resource_link' as const, ...l }));
    const text = renderResultText(tool!.summary(output), output);
    return { content: [{ type: 'text', text }, ...links], structuredContent: output as Record<string, unknown> };
  };
  if (tool?.answer && !tool.work) {
    const { sql, params } = tool.answer;
    const answered = await answerRead(env, request, check, () => ({ sql, params: params(input) }));
    if (answered !== undefined) return shaped(answered);
  }
  const outcome = await pass(
    env,
    request,
    check,
    async (tx): Promise<Done<CallToolResult> | Answered<CallToolResult>> => {
      const ctx: ToolContext = {
        tx,
        user: env.user,
        catalogue: [...env.tools.values()],
        rag: env.rag,
        progress: env.progress ?? (async () => {}),
      };
      const need = await tool!.approval?.(ctx, input);
      if (need) {
        const approval = await requestApproval(tx, {
          module: need.module,
          reason: need.reason,
          requested_by: env.user.id,
          payload: { tool: tool!.name, input: args ?? {} },
        });
        const roles = approverRoles(need.module).join(' or ');
        const message = `${need.reason}: approval ${approval.id} was requested; another user with role ${roles} must approve it with decide_approval`;
        const details = { approval_id: approval.id };
        // Held, not failed: the approval row commits together with this audit row.
        return {
          value: errorResult('APPROVAL_REQUIRED', message, details),
          output: errorOutput('APPROVAL_REQUIRED', message, details),
          status: 'error',
          code: 'APPROVAL_REQUIRED',
          approvalId: approval.id,
        };
      }
      if (tool!.work && tool!.answer) {
        await tool!.work(ctx, input);
        return { answer: { sql: tool!.answer.sql, params: tool!.answer.params(input) }, finish: shaped };
      }
      const output = tool!.output.parse(await tool!.run(ctx, input)) as unknown; // a mismatch is our bug: it rolls the work back
      return { value: shaped(output), output };
    },
  );
  return outcome.ok
    ? outcome.value
    : errorResult(outcome.refusal.code, outcome.refusal.message, outcome.refusal.details);
}
