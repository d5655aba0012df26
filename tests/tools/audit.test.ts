import { describe, expect, it } from 'vitest';
import { dbKinds, freshDb } from '../helpers/db.js';
import { connect, type TestClient, useServer } from '../helpers/mcp.js';

interface AuditRow {
  id: number;
  agent: string;
  tool_name: string;
  status: string;
  error_code: string | null;
  user_id: number;
  input_json: unknown;
  output_json: unknown;
  duration_ms: number;
}

describe.each(dbKinds)('audit log on %s', (kind) => {
  let viewer: TestClient;
  const s = useServer(kind, async (s) => {
    viewer = await s.connect({ role: 'viewer' });
  });
  const lastCall = async () => (await s.db.query<AuditRow>('select * from tool_calls order by id desc limit 1'))[0]!;

  it('records a successful call with its toolset, input, output and user', async () => {
    const c = await s.mcp.ok<{ id: number }>('create_customer', { name: 'Audited Inc' });
    const row = await lastCall();
    expect(row).toMatchObject({
      agent: 'sales',
      tool_name: 'create_customer',
      status: 'ok',
      error_code: null,
      input_json: { name: 'Audited Inc' },
    });
    expect(row.output_json).toMatchObject({ id: c.id, name: 'Audited Inc' });
    const [user] = await s.db.query<{ email: string }>('select email from users where id = $1', [row.user_id]);
    expect(user!.email).toBe('admin@erp.local');
    expect(row.duration_ms).toBeGreaterThanOrEqual(0);
  });

  it('records a domain error with its code', async () => {
    await s.mcp.fail('get_customer', { customer_id: 31337 });
    expect(await lastCall()).toMatchObject({
      tool_name: 'get_customer',
      status: 'error',
      error_code: 'NOT_FOUND',
      output_json: { error: { code: 'NOT_FOUND' } },
    });
  });

  it('records a validation error', async () => {
    await s.mcp.fail('create_customer', { name: 42 });
    expect(await lastCall()).toMatchObject({
      tool_name: 'create_customer',
      status: 'invalid',
      error_code: 'INVALID_INPUT',
      input_json: { name: 42 },
    });
  });

  it('records a permission denial, and the denied call changes nothing', async () => {
    const before = await s.db.query('select count(*)::int as n from customers');
    expect(await viewer.fail('create_customer', { name: 'Sneaky Ltd' })).toEqual({
      code: 'FORBIDDEN',
      message: 'Role viewer may not call create_customer',
    });
    const row = await lastCall();
    expect(row).toMatchObject({ tool_name: 'create_customer', status: 'denied', error_code: 'FORBIDDEN' });
    const [viewerUser] = await s.db.query<{ id: number }>("select id from users where email = 'viewer@test.local'");
    expect(row.user_id).toBe(viewerUser!.id);
    expect(await s.db.query('select count(*)::int as n from customers')).toEqual(before);
  });

  it('list_tool_calls filters by tool, status and user, newest first, with pagination', async () => {
    for (let i = 0; i < 3; i++) await s.mcp.ok('search_customers', { query: `q${i}` });
    const page = await s.mcp.ok<{ items: AuditRow[]; next_cursor: string | null }>('list_tool_calls', {
      tool_name: 'search_customers',
      limit: 2,
    });
    expect(page.items.map((r) => (r.input_json as { query: string }).query)).toEqual(['q2', 'q1']);
    const rest = await s.mcp.ok<{ items: AuditRow[]; next_cursor: string | null }>('list_tool_calls', {
      tool_name: 'search_customers',
      limit: 2,
      cursor: page.next_cursor,
    });
    expect(rest.items.map((r) => (r.input_json as { query: string }).query)).toEqual(['q0']);
    expect(rest.next_cursor).toBeNull();
    const denied = await s.mcp.ok<{ items: AuditRow[] }>('list_tool_calls', { status: 'denied' });
    expect(denied.items.map((r) => r.tool_name)).toEqual(['create_customer']);
  });

  it('verify_audit_log passes on an untouched log', async () => {
    const v = await s.mcp.ok<{ ok: boolean; rows_checked: number }>('verify_audit_log');
    expect(v.ok).toBe(true);
    expect(v.rows_checked).toBeGreaterThanOrEqual(9);
  });

  it('keeps each chain a single line when many calls are audited at once', async () => {
    await Promise.all(Array.from({ length: 12 }, (_, i) => s.mcp.ok('search_customers', { query: `parallel ${i}` })));
    // Every row links to the row before it in its own chain (the first of a chain to the genesis hash).
    const links = await s.db.query<{ broken: number }>(
      `select count(*)::int as broken from tool_calls t
       left join tool_calls p on p.id = (select max(id) from tool_calls where id < t.id and chain = t.chain)
       where t.prev_hash <> coalesce(p.hash, repeat('0', 64))`,
    );
    expect(links).toEqual([{ broken: 0 }]);
    expect((await s.mcp.ok<{ ok: boolean }>('verify_audit_log')).ok).toBe(true);
  });

  it('verify_audit_log catches an edited row and names it', async () => {
    const [target] = await s.db.query<{ id: number }>(
      "select id from tool_calls where tool_name = 'create_customer' and status = 'ok' order by id limit 1",
    );
    await s.db.owner.query(`update tool_calls set input_json = '{"name":"Forged Inc"}' where id = $1`, [target!.id]);
    const v = await s.mcp.ok<{ ok: boolean; first_broken_id: number; problem: string }>('verify_audit_log');
    expect(v).toMatchObject({ ok: false, first_broken_id: target!.id });
    expect(v.problem).toContain('edited');
  });

  it('verify_audit_log catches a deleted row at the next row', async () => {
    const fresh = await freshDb(kind);
    const client = await connect(fresh);
    for (const name of ['A', 'B', 'C']) await client.ok('create_customer', { name });
    const ids = (await fresh.query<{ id: number }>('select id from tool_calls order by id')).map((r) => r.id);
    await fresh.owner.query('delete from tool_calls where id = $1', [ids[1]]);
    const v = await client.ok<{ ok: boolean; first_broken_id: number }>('verify_audit_log');
    expect(v).toMatchObject({ ok: false, first_broken_id: ids[2] });
    await client.close();
    await fresh.close();
  });

  it("verify_audit_log catches the newest row's deletion, which no later row links to, from its chain's head", async () => {
    const fresh = await freshDb(kind);
    const client = await connect(fresh);
    for (const name of ['A', 'B']) await client.ok('create_customer', { name });
    expect(await client.ok('verify_audit_log')).toMatchObject({ ok: true });
    const [newest] = await fresh.query<{ id: number }>('select max(id)::int as id from tool_calls');
    await fresh.owner.query('delete from tool_calls where id = $1', [newest!.id]);
    const v = await client.ok<{ ok: boolean; first_broken_id: number; problem: string }>('verify_audit_log');
    expect(v).toMatchObject({ ok: false, first_broken_id: newest!.id });
    expect(v.problem).toContain('missing');
    await client.close();
    await fresh.close();
  });

  it('only admin, finance and analyst may read the audit log', async () => {
    expect((await viewer.fail('list_tool_calls')).code).toBe('FORBIDDEN');
    expect((await viewer.fail('verify_audit_log')).code).toBe('FORBIDDEN');
  });
});
