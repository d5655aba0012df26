// router toolset: approvals and the policy behind them. decide_approval runs the stored call once,
// re-validated, as the user who asked for it, against the full catalogue (whatever toolsets the
// deciding server offers); the domain keeps the decision even when the call fails.
import { z } from 'zod';
import { listApprovalPolicies } from '../domain/platform/approval-policy.js';
import { APPROVAL_STATUSES, closeApproval, failApproval, frozenCall, getApproval, isExpired, listApprovals, lockForDecision, runApproved, type Approval } from '../domain/platform/approvals.js';
import { ROLES } from '../domain/platform/users.js';
import { canCall } from './access.js';
import { describeZodError } from './call.js';
import { defineTool, type AnyTool, type ToolContext } from './define.js';
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
  description: 'Lists approval requests for risky actions (credit notes, reversals, big journal entries, lock date, large stock adjustments, new admins: see list_approval_policies), newest first, optionally by status: pending, approved, rejected, executed, failed, expired.',
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
  input: z.strictObject({ approval_id: id() }),
  output: approval,
  annotations: read,
  summary: show,
  run: (ctx, input) => getApproval(ctx.tx, input.approval_id),
});

/** Runs an approved call, or records why it cannot run; either way the approval is closed. */
async function execute(ctx: ToolContext, catalogue: readonly AnyTool[], pending: Approval, reason: string | null): Promise<Approval> {
  const fail = (message: string) => failApproval(ctx.tx, pending, ctx.user.id, reason, message);
  const tool = catalogue.find((t) => t.name === pending.action);
  if (!tool) return fail(`Tool ${pending.action} no longer exists`);
  const frozen = await frozenCall(ctx.tx, pending);
  if ('problem' in frozen) return fail(frozen.problem);
  if (!canCall(frozen.requester, tool)) return fail(`The requester may no longer call ${tool.name}`);
  const parsed = tool.input.safeParse(pending.payload_json.input);
  if (!parsed.success) return fail(describeZodError(parsed.error));
  return runApproved(ctx.tx, pending, ctx.user.id, reason, async (tx) =>
    tool.output.parse(await tool.run({ ...ctx, tx, user: frozen.requester }, parsed.data)) as unknown);
}

/**
 * decide_approval over a catalogue: every tool of every toolset (src/tools/index.ts), so an
 * approval granted on a server started with fewer toolsets still runs. A function, because the
 * catalogue includes this very tool.
 */
function decideApprovalTool(catalogue: () => readonly AnyTool[]): AnyTool {
  return defineTool({
    name: 'decide_approval',
    title: 'Approve or reject',
    description: 'Approves or rejects a pending approval. The approver must be a different user whose role may approve that module (admin always; finance for finance; inventory for stock; only admins for users; see list_approval_policies). On approve the stored call runs once, re-validated now, as the user who asked, even when this server does not offer that tool; its result (or its error, status failed) is kept on the approval; a second decision does nothing.',
    toolset: 'router',
    roles: ['admin', 'finance', 'inventory'],
    input: z.strictObject({ approval_id: id(), decision: z.enum(['approve', 'reject']), reason: z.string().trim().max(1000).optional() }),
    output: approval,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    summary: show,
    run: async (ctx, input) => {
      const pending = await lockForDecision(ctx.tx, input.approval_id, ctx.user);
      if (await isExpired(ctx.tx, pending)) return closeApproval(ctx.tx, pending.id, 'expired', ctx.user.id, null, null);
      if (input.decision === 'reject') return closeApproval(ctx.tx, pending.id, 'rejected', ctx.user.id, input.reason ?? null, null);
      return execute(ctx, catalogue(), pending, input.reason ?? null);
    },
  });
}

export const listApprovalPoliciesTool = defineTool({
  name: 'list_approval_policies',
  title: 'List approval policies',
  description: 'Lists which actions wait for a second person before they run (APPROVAL_REQUIRED), from the threshold in force: for each, the tool, its module, when it waits (always, when the call makes someone an admin, or when the value of its effect is above the threshold — e.g. any adjust_stock, gain or loss, count or write-off, worth more than 1,000.00 at cost by default) and which roles may approve it with decide_approval. Anyone may call it.',
  toolset: 'router',
  input: z.strictObject({ ...pageInput }),
  output: pageOutput(z.object({
    action: z.string().describe('the tool that waits for approval'),
    module: z.string(),
    threshold: z.string().nullable().describe('decimal amount; null when every call waits'),
    applies_when: z.string(),
    approver_roles: z.array(z.enum(ROLES)),
  })),
  annotations: read,
  summary: (o) => `${o.items.length} action(s) wait for approval${o.next_cursor ? ' on this page, more available' : ''}: `
    + (o.items.map((r) => `${r.action} ${r.threshold ? `above ${r.threshold}` : r.applies_when}, approved by ${r.approver_roles.join('/')}`).join('; ') || 'none'),
  run: (ctx, input) => listApprovalPolicies(ctx.tx, input),
});

/** The approval tools, deciding against the catalogue given (the full one: src/tools/index.ts). */
export const approvalTools = (catalogue: () => readonly AnyTool[]): AnyTool[] =>
  [listApprovalPoliciesTool, listApprovalsTool, getApprovalTool, decideApprovalTool(catalogue)];
