// router toolset: approvals and the policy behind them. decide_approval runs the stored call once,
// re-validated, as the user who asked for it, against the full catalogue (whatever toolsets the
// deciding server offers); the domain keeps the decision even when the call fails.
import { z } from 'zod';
import { APPROVERS, listApprovalPolicies } from '../domain/platform/approval-policy.js';
import { review } from '../domain/platform/approval-review.js';
import {
  APPROVAL_STATUSES,
  closeApproval,
  failApproval,
  frozenCall,
  getApproval,
  isExpired,
  listApprovals,
  lockForDecision,
  runApproved,
  type Approval,
} from '../domain/platform/approvals.js';
import { ROLES } from '../domain/platform/users.js';
import { describeZodError } from '../input.js';
import { canCall, whyNot } from './access.js';
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
// What a reviewer sees besides the row (the approvals inbox view is drawn from these).
const reviewed = approval.extend({
  requested_by_name: z.string().nullable(),
  changes: z
    .array(z.object({ field: z.string(), before: z.string().nullable(), after: z.string().nullable() }))
    .describe(
      "what the call would change: a current value beside the requested one where known (before null: a new value), then the call's arguments",
    ),
  may_decide: z
    .boolean()
    .describe('whether you may approve or reject it now (four-eyes, approver role, still pending)'),
  why_not: z.string().nullable().describe('why you may not decide it; null when you may'),
});
const you = z.object({
  user_id: z.number().int(),
  role: z.enum(ROLES),
  decides_approvals: z.boolean().describe('whether you may call decide_approval at all'),
});
const show = (a: z.output<typeof approval>) => `Approval ${a.id} (${a.action}): ${a.status}`;

/** Why the caller may not decide any approval on this server, or null when they may. */
function barredFromDeciding(ctx: ToolContext): string | null {
  const decide = ctx.catalogue.find((t) => t.name === 'decide_approval');
  if (!decide) return 'This server does not offer decide_approval';
  return canCall(ctx.user, decide) ? null : whyNot(ctx.user, decide);
}

async function reviewFor(ctx: ToolContext, approvals: Approval[]) {
  const barred = barredFromDeciding(ctx);
  return {
    items: await review(ctx.tx, approvals, ctx.user, barred),
    you: { user_id: ctx.user.id, role: ctx.user.role, decides_approvals: barred === null },
  };
}
const read = { readOnlyHint: true, idempotentHint: true, openWorldHint: false } as const;

export const listApprovalsTool = defineTool({
  name: 'list_approvals',
  title: 'List approvals',
  description:
    'Lists approval requests for risky actions (credit notes, reversals, big journal entries, lock date, large stock adjustments, new admins: see list_approval_policies), newest first, optionally by status: pending, approved, rejected, executed, failed, expired. Each shows who asked, what it would change, and whether you may decide it (with why not).',
  toolset: 'router',
  view: 'approvals',
  input: z.strictObject({ status: z.enum(APPROVAL_STATUSES).optional(), ...pageInput }),
  output: pageOutput(reviewed).extend({ you }),
  annotations: read,
  summary: (o) =>
    `${o.items.length} approval(s)${o.next_cursor ? ', more available' : ''}; ${o.items.filter((a) => a.may_decide).length} you may decide`,
  run: async (ctx, input) => {
    const page = await listApprovals(ctx.tx, input);
    return { ...(await reviewFor(ctx, page.items)), next_cursor: page.next_cursor };
  },
});

export const getApprovalTool = defineTool({
  name: 'get_approval',
  title: 'Get approval',
  description:
    'Shows one approval request: the exact stored call, who asked, what it would change (current and requested values), its status, who decided, what the action returned, and whether you may decide it.',
  toolset: 'router',
  view: 'approvals',
  input: z.strictObject({ approval_id: id() }),
  output: reviewed.extend({ you }),
  annotations: read,
  summary: (a) => `${show(a)}; ${a.may_decide ? 'you may decide it' : `you may not decide it: ${a.why_not}`}`,
  run: async (ctx, input) => {
    const {
      items: [one],
      you: caller,
    } = await reviewFor(ctx, [await getApproval(ctx.tx, input.approval_id)]);
    return { ...one!, you: caller };
  },
});

/** Runs an approved call, or records why it cannot run; either way the approval is closed. */
async function execute(
  ctx: ToolContext,
  catalogue: readonly AnyTool[],
  pending: Approval,
  reason: string | null,
): Promise<Approval> {
  const fail = (message: string) => failApproval(ctx.tx, pending, ctx.user.id, reason, message);
  const tool = catalogue.find((t) => t.name === pending.action);
  if (!tool) return fail(`Tool ${pending.action} no longer exists`);
  const frozen = await frozenCall(ctx.tx, pending);
  if ('problem' in frozen) return fail(frozen.problem);
  if (!canCall(frozen.requester, tool)) return fail(`The requester may no longer call ${tool.name}`);
  const parsed = tool.input.safeParse(pending.payload_json.input);
  if (!parsed.success) return fail(describeZodError(parsed.error));
  return runApproved(
    ctx.tx,
    pending,
    ctx.user.id,
    reason,
    async (tx) => tool.output.parse(await tool.run({ ...ctx, tx, user: frozen.requester }, parsed.data)) as unknown,
  );
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
    description:
      'Approves or rejects a pending approval. The approver must be a different user whose role may approve that module (admin always; finance for finance; inventory for stock; only admins for users; see list_approval_policies). On approve the stored call runs once, re-validated now, as the user who asked, even when this server does not offer that tool; its result (or its error, status failed) is kept on the approval; a second decision does nothing.',
    toolset: 'router',
    roles: APPROVERS,
    input: z.strictObject({
      approval_id: id(),
      decision: z.enum(['approve', 'reject']),
      reason: z.string().trim().max(1000).optional(),
    }),
    output: approval,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    summary: show,
    run: async (ctx, input) => {
      const pending = await lockForDecision(ctx.tx, input.approval_id, ctx.user);
      if (await isExpired(ctx.tx, pending))
        return closeApproval(ctx.tx, pending.id, 'expired', ctx.user.id, null, null);
      if (input.decision === 'reject')
        return closeApproval(ctx.tx, pending.id, 'rejected', ctx.user.id, input.reason ?? null, null);
      return execute(ctx, catalogue(), pending, input.reason ?? null);
    },
  });
}

export const listApprovalPoliciesTool = defineTool({
  name: 'list_approval_policies',
  title: 'List approval policies',
  description:
    'Lists which actions wait for a second person before they run (APPROVAL_REQUIRED), from the threshold in force: for each, the tool, its module, when it waits (always, when the call makes someone an admin, or when the value of its effect is above the threshold — e.g. any adjust_stock, gain or loss, count or write-off, worth more than 1,000.00 at cost by default) and which roles may approve it with decide_approval. Anyone may call it.',
  toolset: 'router',
  input: z.strictObject({ ...pageInput }),
  output: pageOutput(
    z.object({
      action: z.string().describe('the tool that waits for approval'),
      module: z.string(),
      threshold: z.string().nullable().describe('decimal amount; null when every call waits'),
      applies_when: z.string(),
      approver_roles: z.array(z.enum(ROLES)),
    }),
  ),
  annotations: read,
  summary: (o) =>
    `${o.items.length} action(s) wait for approval${o.next_cursor ? ' on this page, more available' : ''}: ` +
    (o.items
      .map(
        (r) =>
          `${r.action} ${r.threshold ? `above ${r.threshold}` : r.applies_when}, approved by ${r.approver_roles.join('/')}`,
      )
      .join('; ') || 'none'),
  run: (ctx, input) => listApprovalPolicies(ctx.tx, input),
});

/** The approval tools, deciding against the catalogue given (the full one: src/tools/index.ts). */
export const approvalTools = (catalogue: () => readonly AnyTool[]): AnyTool[] => [
  listApprovalPoliciesTool,
  listApprovalsTool,
  getApprovalTool,
  decideApprovalTool(catalogue),
];
