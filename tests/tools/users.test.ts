// Users without SQL (issue 16): the admin tools, four eyes on making admins, the last admin, and a
// disabled user refused everywhere at once (tokens over HTTP, a running session, ERP_USER).
import { afterAll, describe, expect, it } from 'vitest';
import { hashPassword, passwordMatches, setPassword, verifyPassword } from '../../src/domain/platform/passwords.js';
import { createToken } from '../../src/domain/platform/tokens.js';
import { disableUser, setUserRole } from '../../src/domain/platform/user-admin.js';
import { findUserByEmail, requireUserByEmail } from '../../src/domain/platform/users.js';
import { startHttpServer, type RunningHttpServer } from '../../src/http.js';
import { TOOLSETS } from '../../src/domain/platform/roles.js';
import { dbKinds } from '../helpers/db.js';
import { connect, type TestClient, useServer } from '../helpers/mcp.js';

interface Account {
  id: number;
  email: string;
  name: string;
  role: string;
  disabled_at: string | null;
  has_password: boolean;
}
interface Approval {
  id: number;
  status: string;
  result_json: unknown;
}

const approvalIdOf = (e: { code: string }) =>
  (e as unknown as { details: { approval_id: number } }).details.approval_id;
const toolsList = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });

describe.each(dbKinds)('users on %s', (kind) => {
  /** A second admin, to approve what the first asks for. */
  let second: TestClient;
  let http: RunningHttpServer;
  const s = useServer(kind, async ({ db, connect }) => {
    second = await connect({ role: 'admin', email: 'second@users.test' });
    http = await startHttpServer({ db, host: '127.0.0.1', port: 0, toolsets: [...TOOLSETS] });
  });
  afterAll(() => http?.close()); // before useServer closes the database: after-hooks run last-registered first
  const post = (token: string) =>
    fetch(http.url, {
      method: 'POST',
      body: toolsList,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
    });
  const userId = async (email: string) => (await requireUserByEmail(s.db, email)).id;

  it('create_user adds a user with a lowercase e-mail and refuses a taken one', async () => {
    const made = await s.mcp.ok<Account>('create_user', {
      email: ' Clerk@Users.Test ',
      name: 'Clara Clerk',
      role: 'sales',
    });
    expect(made).toMatchObject({
      email: 'clerk@users.test',
      name: 'Clara Clerk',
      role: 'sales',
      disabled_at: null,
      has_password: false,
    });
    expect(await s.mcp.fail('create_user', { email: 'CLERK@users.test', name: 'Other', role: 'viewer' })).toMatchObject(
      { code: 'CONFLICT' },
    );
    expect((await s.mcp.fail('create_user', { email: 'not-an-address', name: 'X', role: 'viewer' })).code).toBe(
      'INVALID_INPUT',
    );
    expect((await s.mcp.fail('create_user', { email: 'x@users.test', name: 'X', role: 'owner' })).code).toBe(
      'INVALID_INPUT',
    );
  });

  it('list_users pages through users in id order and filters by role and status', async () => {
    for (const n of [1, 2, 3])
      await s.mcp.ok('create_user', { email: `page${n}@users.test`, name: `Page ${n}`, role: 'viewer' });
    const first = await s.mcp.ok<{ items: Account[]; next_cursor: string | null }>('list_users', {
      role: 'viewer',
      limit: 2,
    });
    const rest = await s.mcp.ok<{ items: Account[]; next_cursor: string | null }>('list_users', {
      role: 'viewer',
      limit: 2,
      cursor: first.next_cursor,
    });
    expect([...first.items, ...rest.items].map((u) => u.email)).toEqual([
      'page1@users.test',
      'page2@users.test',
      'page3@users.test',
    ]);
    expect(rest.next_cursor).toBeNull();
    expect((await s.mcp.ok<{ items: Account[] }>('list_users', { status: 'disabled' })).items).toEqual([]);
  });

  it('list_users shows whether a password is set, never the hash', async () => {
    const clerkId = await userId('clerk@users.test');
    await s.db.transaction((tx) => setPassword(tx, clerkId, 'correct horse battery staple'));
    const listed = await s.mcp.call('list_users', {});
    expect(JSON.stringify(listed)).not.toMatch(/scrypt|password_hash/);
    const clerk = (listed.structuredContent as { items: Account[] }).items.find((u) => u.email === 'clerk@users.test');
    expect(clerk?.has_password).toBe(true);
  });

  it('only admins see and call the user tools', async () => {
    const finance = await connect(s.db, { role: 'finance', email: 'finance@users.test' });
    const names = (await finance.client.listTools()).tools.map((t) => t.name);
    expect(names).not.toContain('list_users');
    expect(
      (await finance.fail('create_user', { email: 'sneaky@users.test', name: 'Sneaky', role: 'admin' })).code,
    ).toBe('FORBIDDEN');
    await finance.close();
    const listed = (await s.mcp.client.listTools()).tools.filter((t) =>
      ['list_users', 'create_user', 'set_user_role', 'disable_user', 'enable_user'].includes(t.name),
    );
    expect(listed).toHaveLength(5);
    expect(listed.find((t) => t.name === 'disable_user')?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
      openWorldHint: false,
    });
  });

  it('set_user_role changes a role at once and names the previous one', async () => {
    const id = await userId('page1@users.test');
    expect(await s.mcp.ok('set_user_role', { user_id: id, role: 'analyst' })).toMatchObject({
      user: { role: 'analyst' },
      previous_role: 'viewer',
    });
    expect((await s.mcp.fail('set_user_role', { user_id: 999_999, role: 'viewer' })).code).toBe('NOT_FOUND');
  });

  it('creating an admin waits for another admin: the requester cannot approve it', async () => {
    const held = await s.mcp.fail('create_user', { email: 'boss@users.test', name: 'New Boss', role: 'admin' });
    expect(held).toMatchObject({ code: 'APPROVAL_REQUIRED', message: expect.stringContaining('role admin') });
    await expect(requireUserByEmail(s.db, 'boss@users.test')).rejects.toThrow(/No user/);
    const approvalId = approvalIdOf(held);
    expect((await s.mcp.fail('decide_approval', { approval_id: approvalId, decision: 'approve' })).code).toBe(
      'FORBIDDEN',
    );
    const done = await second.ok<Approval>('decide_approval', { approval_id: approvalId, decision: 'approve' });
    expect(done.status).toBe('executed');
    expect(await requireUserByEmail(s.db, 'boss@users.test')).toMatchObject({ role: 'admin' });
  });

  it('promoting to admin waits for another admin; other roles change at once', async () => {
    const id = await userId('page2@users.test');
    const held = await s.mcp.fail('set_user_role', { user_id: id, role: 'admin' });
    expect(held.code).toBe('APPROVAL_REQUIRED');
    expect(
      (await s.mcp.ok<{ items: Account[] }>('list_users', { role: 'admin' })).items.map((u) => u.id),
    ).not.toContain(id);
    const finance = await connect(s.db, { role: 'finance', email: 'finance@users.test' });
    expect((await finance.fail('decide_approval', { approval_id: approvalIdOf(held), decision: 'approve' })).code).toBe(
      'FORBIDDEN',
    );
    await finance.close();
    expect(
      (await second.ok<Approval>('decide_approval', { approval_id: approvalIdOf(held), decision: 'approve' })).status,
    ).toBe('executed');
    expect((await s.mcp.ok<{ items: Account[] }>('list_users', { role: 'admin' })).items.map((u) => u.id)).toContain(
      id,
    );
    await s.mcp.ok('set_user_role', { user_id: id, role: 'viewer' }); // demoting needs nobody
  });

  it('list_approval_policies shows the admin rules', async () => {
    const rules = (
      await s.mcp.ok<{ items: { action: string; module: string; applies_when: string; approver_roles: string[] }[] }>(
        'list_approval_policies',
      )
    ).items;
    expect(rules.filter((r) => r.module === 'users').map((r) => r.action)).toEqual([
      'create_user',
      'set_user_role',
      'enable_user',
    ]);
    expect(rules.find((r) => r.action === 'set_user_role')).toMatchObject({
      approver_roles: ['admin'],
      applies_when: expect.stringContaining('admin'),
    });
  });

  it('disable_user revokes the tokens, refuses HTTP and the running session, and enable_user restores access', async () => {
    const user = await connect(s.db, { role: 'sales', email: 'leaver@users.test' });
    const id = await userId('leaver@users.test');
    const { token } = await s.db.transaction((tx) => createToken(tx, id, 'laptop'));
    expect((await post(token)).status).toBe(200);
    await user.ok('whoami');

    const done = await s.mcp.ok<{ user: Account; sessions_ended: number }>('disable_user', {
      user_id: id,
      reason: 'Left the company',
    });
    expect(done.sessions_ended).toBe(1);
    expect(done.user.disabled_at).not.toBeNull();
    expect((await post(token)).status).toBe(401);
    expect(await user.fail('whoami')).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('leaver@users.test is disabled'),
    });
    await expect(requireUserByEmail(s.db, 'leaver@users.test')).rejects.toThrow(/leaver@users\.test is disabled/);
    expect(await findUserByEmail(s.db, 'leaver@users.test')).toBeUndefined(); // what sign-ins by e-mail ask
    expect((await s.mcp.ok<{ items: Account[] }>('list_users', { status: 'disabled' })).items.map((u) => u.id)).toEqual(
      [id],
    );

    expect(await s.mcp.ok<Account>('enable_user', { user_id: id })).toMatchObject({ disabled_at: null });
    await user.ok('whoami');
    expect((await post(token)).status).toBe(401); // the old token stays revoked
    await user.close();
  });

  it("a token whose user was disabled behind the tools' back is refused too", async () => {
    const user = await connect(s.db, { role: 'viewer', email: 'sqlpath@users.test' });
    await user.close();
    const id = await userId('sqlpath@users.test');
    const { token } = await s.db.transaction((tx) => createToken(tx, id, 'cli'));
    await s.db.query("update users set disabled_at = now() where email = 'sqlpath@users.test'");
    expect((await post(token)).status).toBe(401);
  });

  it('nobody can disable themself', async () => {
    const me = await userId('admin@erp.local');
    expect(await s.mcp.fail('disable_user', { user_id: me })).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('yourself'),
    });
  });

  it('re-enabling a disabled admin waits for another admin', async () => {
    const id = await userId('boss@users.test');
    await s.mcp.ok('disable_user', { user_id: id });
    const held = await s.mcp.fail('enable_user', { user_id: id });
    expect(held.code).toBe('APPROVAL_REQUIRED');
    expect(
      (await second.ok<Approval>('decide_approval', { approval_id: approvalIdOf(held), decision: 'approve' })).status,
    ).toBe('executed');
    await s.mcp.ok('set_user_role', { user_id: id, role: 'viewer' });
  });

  it('the last active admin can be neither demoted nor disabled', async () => {
    const me = await userId('admin@erp.local');
    await second.ok('disable_user', { user_id: me });
    const secondId = await userId('second@users.test');
    const demote = await second.fail('set_user_role', { user_id: secondId, role: 'viewer' });
    expect(demote).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('last active admin') });
    await expect(s.db.transaction((tx) => disableUser(tx, { user_id: secondId }))).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    // The database holds the rule for any writer, not only for the tools.
    await expect(s.db.query('update users set role = $2 where id = $1', [secondId, 'viewer'])).rejects.toMatchObject({
      code: 'EU001',
    });
    await expect(s.db.query('update users set disabled_at = now() where id = $1', [secondId])).rejects.toMatchObject({
      code: 'EU001',
    });
    const held = await second.fail('enable_user', { user_id: me });
    expect(held.code).toBe('APPROVAL_REQUIRED'); // the disabled admin cannot approve their own return
    await s.db.query('update users set disabled_at = null where id = $1', [me]);
    await s.mcp.ok('whoami');
  });

  it('two admins demoted at once leave one: the second demotion is refused', async () => {
    const a = await userId('admin@erp.local');
    const b = await userId('second@users.test');
    const outcomes = await Promise.allSettled(
      [a, b].map((id) => s.db.transaction((tx) => setUserRole(tx, { user_id: id }, 'viewer'))),
    );
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const [left] = await s.db.query<{ n: number }>(
      "select count(*)::int as n from users where role = 'admin' and disabled_at is null",
    );
    expect(left!.n).toBe(1);
    await s.db.query("update users set role = 'admin' where id = any($1::int[])", [[a, b]]);
  });

  it('run_query cannot read password hashes, as admin or analyst', async () => {
    const analyst = await connect(s.db, { role: 'analyst', email: 'analyst@users.test' });
    for (const client of [s.mcp, analyst]) {
      const all = await client.ok<{ columns: string[] }>('run_query', { sql: 'select * from users' });
      expect(all.columns).toEqual(['id', 'name', 'email', 'role', 'created_at', 'disabled_at']);
      expect((await client.fail('run_query', { sql: 'select password_hash from users' })).code).toBe('INVALID_INPUT');
      expect((await client.fail('run_query', { sql: 'select password_hash from public.users' })).code).toBe(
        'FORBIDDEN',
      );
    }
    await analyst.close();
  });

  it('passwords are salted scrypt, checked in constant time, and only for active users', async () => {
    const stored = await hashPassword('a long enough secret');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await hashPassword('a long enough secret')).not.toBe(stored);
    expect(await passwordMatches('a long enough secret', stored)).toBe(true);
    expect(await passwordMatches('a long enough secreT', stored)).toBe(false);
    expect(
      await passwordMatches(
        'a long enough secret',
        'scrypt$1073741824$8$1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      ),
    ).toBe(false);
    await expect(hashPassword('too short')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(hashPassword('x'.repeat(1025))).rejects.toMatchObject({ code: 'INVALID_INPUT' });

    expect(await verifyPassword(s.db, 'CLERK@users.test', 'correct horse battery staple')).toMatchObject({
      email: 'clerk@users.test',
      role: 'sales',
    });
    expect(await verifyPassword(s.db, 'clerk@users.test', 'wrong horse battery staple')).toBeUndefined();
    expect(await verifyPassword(s.db, 'nobody@users.test', 'correct horse battery staple')).toBeUndefined();
    await s.mcp.ok('disable_user', { user_id: await userId('clerk@users.test') });
    expect(await verifyPassword(s.db, 'clerk@users.test', 'correct horse battery staple')).toBeUndefined();
  });

  it('every change is in the audit log, and the chain holds', async () => {
    const calls = await s.mcp.ok<{ items: { tool_name: string; status: string }[] }>('list_tool_calls', {
      tool_name: 'disable_user',
    });
    expect(calls.items.length).toBeGreaterThan(0);
    expect(await s.mcp.ok('verify_audit_log')).toMatchObject({ ok: true });
  });
});
