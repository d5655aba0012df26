// router toolset: who am I, and the audit log.
import { z } from 'zod';
import { verifyAuditLog } from '../domain/platform/audit.js';
import { listVisibleToolCalls } from '../domain/platform/privacy.js';
import { TOOLSETS } from '../domain/platform/roles.js';
import { ROLES } from '../domain/platform/users.js';
import { canCall } from './access.js';
import { defineTool } from './define.js';
import { id, isoTimestamp, pageInput, pageOutput, timestamp } from './schemas.js';

const user = z.object({ id: z.number().int(), name: z.string(), email: z.string(), role: z.enum(ROLES) });

export const whoami = defineTool({
  name: 'whoami',
  title: 'Who am I',
  description:
    'Shows the acting user (name, e-mail, role) and the toolsets and tools this user may call on this server. Call it first to learn what you can do.',
  toolset: 'router',
  input: z.strictObject({}),
  output: z.object({ user, toolsets: z.array(z.enum(TOOLSETS)), tools: z.array(z.string()) }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  summary: (o) =>
    `${o.user.name} <${o.user.email}>, role ${o.user.role}: ${o.tools.length} tools in ${o.toolsets.join(', ')}`,
  run: async (ctx) => {
    const visible = ctx.catalogue.filter((t) => canCall(ctx.user, t));
    return {
      user: ctx.user,
      toolsets: TOOLSETS.filter((s) => visible.some((t) => t.toolset === s)),
      tools: visible.map((t) => t.name),
    };
  },
});

const CALL_STATUSES = ['ok', 'error', 'invalid', 'denied'] as const;
const toolCall = z.object({
  id: z.number().int(),
  agent: z.string(),
  tool_name: z.string(),
  input_json: z.unknown(),
  output_json: z.unknown(),
  status: z.enum(CALL_STATUSES),
  error_code: z.string().nullable(),
  duration_ms: z.number().int(),
  user_id: z.number().int().nullable(),
  conversation_id: z.number().int().nullable(),
  approval_id: z.number().int().nullable(),
  hash: z.string(),
  created_at: timestamp,
});

export const listToolCallsTool = defineTool({
  name: 'list_tool_calls',
  title: 'List audited tool calls',
  description:
    'Lists the audit log of tool calls, newest first: who called which tool with what input, the result or error, and how long it took. Filter by tool_name, user_id, status (ok, error, invalid, denied) or since (ISO timestamp). Conversations are private: unless you are an admin, the message text of other users\' conversations and the payloads of calls made in them show as "[redacted: private conversation]", and the results of other users\' list_tool_calls and run_query as "[redacted: what another user read]".',
  toolset: 'router',
  roles: ['admin', 'finance', 'analyst'],
  input: z.strictObject({
    tool_name: z.string().trim().min(1).max(100).optional(),
    user_id: id().optional(),
    status: z.enum(CALL_STATUSES).optional(),
    since: isoTimestamp.optional(),
    ...pageInput,
  }),
  output: pageOutput(toolCall),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  summary: (o) => `${o.items.length} tool call(s)${o.next_cursor ? ', more available' : ''}`,
  run: (ctx, input) => listVisibleToolCalls(ctx.tx, ctx.user, input),
});

export const verifyAuditLogTool = defineTool({
  name: 'verify_audit_log',
  title: 'Verify the audit log',
  description:
    'Recomputes the hash chain of the whole tool-call audit log and reports the first row that was edited, deleted or inserted out of order, if any.',
  toolset: 'router',
  roles: ['admin', 'finance', 'analyst'],
  input: z.strictObject({}),
  output: z.object({
    ok: z.boolean(),
    rows_checked: z.number().int(),
    first_broken_id: z.number().int().nullable(),
    problem: z.string().nullable(),
  }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  summary: (o) => (o.ok ? `Audit log intact: ${o.rows_checked} rows verified` : `Audit log BROKEN: ${o.problem}`),
  run: (ctx) => verifyAuditLog(ctx.tx),
});

export const routerTools = [whoami, listToolCallsTool, verifyAuditLogTool];
