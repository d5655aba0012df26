// router toolset, admins only: the users of the ERP and their roles (issue 16). Making someone an
// admin waits for another admin's approval (approval-policy.ts); passwords are set only from the
// command line (erp-mcp user password), never through a tool.
import { z } from 'zod';
import { approvalNeed } from '../domain/platform/approval-policy.js';
import {
  addUser,
  disableUser,
  enableUser,
  getUserAccount,
  listUsers,
  MAX_NAME_LENGTH,
  setUserRole,
} from '../domain/platform/user-admin.js';
import { ROLES } from '../domain/platform/users.js';
import { defineTool } from './define.js';
import { email, id, pageInput, pageOutput, text, timestamp } from './schemas.js';

const account = z.object({
  id: z.number().int(),
  name: z.string(),
  email: z.string(),
  role: z.enum(ROLES),
  created_at: timestamp,
  disabled_at: timestamp.nullable().describe('null while the user is active'),
  has_password: z.boolean().describe('whether a password is set (the password itself is never shown)'),
  password_changed_at: timestamp.nullable(),
});
type Account = z.output<typeof account>;
const show = (u: Account) => `User ${u.id} ${u.name} <${u.email}>, role ${u.role}${u.disabled_at ? ', disabled' : ''}`;
const ADMIN_ONLY = ['admin'] as const;
const write = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false } as const;

export const listUsersTool = defineTool({
  name: 'list_users',
  title: 'List users',
  description:
    'Lists the users of the ERP in id order: name, e-mail, role, whether they are disabled and whether a password is set (never the password). Filter by role or status (active, disabled). Admins only.',
  toolset: 'router',
  roles: ADMIN_ONLY,
  input: z.strictObject({
    role: z.enum(ROLES).optional(),
    status: z.enum(['active', 'disabled']).optional(),
    ...pageInput,
  }),
  output: pageOutput(account),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  summary: (o) => `${o.items.length} user(s)${o.next_cursor ? ', more available' : ''}`,
  run: (ctx, input) => listUsers(ctx.tx, input),
});

export const createUserTool = defineTool({
  name: 'create_user',
  title: 'Create a user',
  description:
    'Adds a user with an e-mail (stored lowercase, unique), a name and a role: admin, sales, finance, inventory, analyst or viewer. A new admin waits for approval by another admin (APPROVAL_REQUIRED). The user signs in with credentials the operator issues on the command line (erp-mcp token create, erp-mcp user password). Admins only.',
  toolset: 'router',
  roles: ADMIN_ONLY,
  input: z.strictObject({ email, name: text(MAX_NAME_LENGTH, 'name'), role: z.enum(ROLES) }),
  output: account,
  annotations: write,
  approval: async (ctx, input) => (input.role === 'admin' ? approvalNeed(ctx.tx, 'create_user') : null),
  summary: (u) => `Created ${show(u)}`,
  run: (ctx, input) => addUser(ctx.tx, input),
});

export const setUserRoleTool = defineTool({
  name: 'set_user_role',
  title: "Change a user's role",
  description:
    'Gives a user another role (admin, sales, finance, inventory, analyst, viewer); it applies from their next request. Making someone an admin waits for approval by another admin (APPROVAL_REQUIRED). The last active admin cannot be demoted (CONFLICT). Admins only.',
  toolset: 'router',
  roles: ADMIN_ONLY,
  input: z.strictObject({ user_id: id(), role: z.enum(ROLES) }),
  output: z.object({ user: account, previous_role: z.enum(ROLES) }),
  annotations: write, // a promotion files one more approval request each time
  approval: async (ctx, input) => {
    if (input.role !== 'admin') return null;
    const user = await getUserAccount(ctx.tx, input);
    return user.role === 'admin' ? null : approvalNeed(ctx.tx, 'set_user_role');
  },
  summary: (o) => `${show(o.user)} (was ${o.previous_role})`,
  run: (ctx, input) => setUserRole(ctx.tx, input, input.role),
});

export const disableUserTool = defineTool({
  name: 'disable_user',
  title: 'Disable a user',
  description:
    'Disables a user: every API token of theirs is revoked at once and every later request of theirs is refused, on any transport. Their records and audit history stay. You cannot disable yourself, nor the last active admin (CONFLICT). The reason is kept in the audit log. enable_user undoes it. Admins only.',
  toolset: 'router',
  roles: ADMIN_ONLY,
  input: z.strictObject({ user_id: id(), reason: z.string().trim().max(1000).optional() }),
  output: z.object({
    user: account,
    sessions_ended: z.number().int().describe('API tokens (and later sign-ins) revoked by this call'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  summary: (o) => `Disabled ${show(o.user)}; ${o.sessions_ended} session(s) ended`,
  run: (ctx, input) => disableUser(ctx.tx, input, ctx.user),
});

export const enableUserTool = defineTool({
  name: 'enable_user',
  title: 'Enable a user',
  description:
    'Enables a disabled user again. Their revoked tokens stay revoked: the operator issues new ones (erp-mcp token create). Enabling a disabled admin waits for approval by another admin (APPROVAL_REQUIRED). Admins only.',
  toolset: 'router',
  roles: ADMIN_ONLY,
  input: z.strictObject({ user_id: id() }),
  output: account,
  annotations: write, // enabling an admin files one more approval request each time
  approval: async (ctx, input) => {
    const user = await getUserAccount(ctx.tx, input);
    return user.role === 'admin' && user.disabled_at !== null ? approvalNeed(ctx.tx, 'enable_user') : null;
  },
  summary: (u) => `Enabled ${show(u)}`,
  run: (ctx, input) => enableUser(ctx.tx, input),
});

export const userTools = [listUsersTool, createUserTool, setUserRoleTool, disableUserTool, enableUserTool];
