// router toolset: approvals. decide_approval runs the stored call once, re-validated, as the
// user who asked for it, inside a savepoint so a failing action still records the decision.
import { z } from 'zod';
import { APPROVAL_STATUSES, closeApproval, getApproval, isExpired, listApprovals, lockForDecision, payloadHash, type Approval } from '../domain/platform/approvals.js';
import { DomainError, fromDatabaseError } from '../domain/shared/errors.js';
import type { User } from '../domain/platform/users.js';
import { canCall } from './access.js';
import { describeZodError } from './call.js';
import { defineTool, type ToolContext } from './define.js';
import { id, pageInput, pageOutput, timestamp } from './schemas.js';

const approval = z.object({
  id: z.number().int(),
  module: z.string(),
  action: z.string().describe('the tool that runs once approved'),
  payload_json: z.object({ tool: z.string(), input: z.unknown() }),
  payload_hash: z.string(),
  status: z.enum(APPROVAL_STATUSES),
  requested_by: z.number().int(),
  decided_by: z.number().int().nullable(),
  reason: z.string().nullable(),
  result_json: z.unknown(),
  created_at: timestamp,
  decided_at: timestamp.nullable(),
});
const show = (a: z.output<typeof approval>) => `Approval ${a.id} (${a.action}): ${a.status}`;
const read = { readOnlyHint: true, idempotentHint: true, openWorldHint: false } as const;

export const listApprovalsTool = defineTool({
  name: 'list_approvals',
  title: 'List approvals',
  description: 'Lists approval requests for risky actions (credit notes, reversals, big journal entries, lock date, large write-offs), newest first, optionally by status: pending, approved, rejected, executed, failed, expired.',
  toolset: 'router',
  input: z.strictObject({ status: z.enum(APPROVAL_STATUSES).optional(), ...pageInput }),
  output: pageOutput(approval),
  annotations: read,
  summary: (o) => `${o.items.length} approval(s)${o.next_cursor ? ', more available' : ''}`,
  run: (ctx, input) => listApprovals(ctx.tx, input),
});

export const getApprovalTool = defineTool({
  name: 'get_approval',
  title: 'Get approval',
  description: 'Shows one approval request: the exact stored call, who asked, its status, who decided and what the action returned.',
  toolset: 'router',
  input: z.strictObject({ approval_id: id('Approval') }),
  output: approval,
  annotations: read,
  summary: show,
  run: (ctx, input) => getApproval(ctx.tx, input.approval_id),
});

async function execute(ctx: ToolContext, pending: Approval, reason: string | null): Promise<Approval> {
  const tool = ctx.catalogue.find((t) => t.name === pending.action);
  const fail = (message: string) => closeApproval(ctx.tx, pending.id, 'failed', ctx.user.id, reason, { error: { code: 'CONFLICT', message } });
  if (!tool) return fail(`Tool ${pending.action} is not offered by this server`);
  if (payloadHash(pending.payload_json) !== pending.payload_hash) return fail('The stored payload no longer matches its hash; it was changed after the request');
  const [requester] = await ctx.tx.query<User>('select id, name, email, role from users where id = $1', [pending.requested_by]);
  if (!requester || !canCall(requester.role, tool)) return fail(`The requester may no longer call ${tool.name}`);
  const parsed = tool.input.safeParse(pending.payload_json.input);
  if (!parsed.success) return fail(describeZodError(parsed.error));
  await ctx.tx.query('savepoint approved_action');
  try {
    const output = tool.output.parse(await tool.run({ ...ctx, user: requester }, parsed.data)) as unknown;
    await ctx.tx.query('release savepoint approved_action');
    return closeApproval(ctx.tx, pending.id, 'executed', ctx.user.id, reason, output);
  } catch (error) {
    const domain = error instanceof DomainError ? error : fromDatabaseError(error);
    if (!domain) throw error;
    await ctx.tx.query('rollback to savepoint approved_action');
    return closeApproval(ctx.tx, pending.id, 'failed', ctx.user.id, reason, { error: { code: domain.code, message: domain.message } });
  }
}

export const decideApprovalTool = defineTool({
  name: 'decide_approval',
  title: 'Approve or reject',
  description: 'Approves or rejects a pending approval. The approver must be a different user whose role may approve that module (admin always; finance for finance; inventory for stock). On approve the stored call runs once, re-validated now, and its result is kept on the approval; a second decision does nothing.',
  toolset: 'router',
  roles: ['admin', 'finance', 'inventory'],
  input: z.strictObject({ approval_id: id('Approval'), decision: z.enum(['approve', 'reject']), reason: z.string().trim().max(1000).optional() }),
  output: approval,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  summary: show,
  run: async (ctx, input) => {
    const pending = await lockForDecision(ctx.tx, input.approval_id, ctx.user);
    if (await isExpired(ctx.tx, pending)) return closeApproval(ctx.tx, pending.id, 'expired', ctx.user.id, null, null);
    if (input.decision === 'reject') return closeApproval(ctx.tx, pending.id, 'rejected', ctx.user.id, input.reason ?? null, null);
    return execute(ctx, pending, input.reason ?? null);
  },
});

export const approvalTools = [listApprovalsTool, getApprovalTool, decideApprovalTool];
