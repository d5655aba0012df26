// Reads answered in one statement with their audit row (src/gate.ts answerRead, sql/019): the
// answer is what the long way gives, the audit row records it and verifies, and whatever the
// database declines (a disabled caller, a missing record, someone else's conversation) is
// refused exactly as the long way refuses it, audited once.
import { describe, expect, it } from 'vitest';
import { contentDigest } from '../../src/domain/platform/audit.js';
import { allTools } from '../../src/tools/index.js';
import { dbKinds } from '../helpers/db.js';
import { useServer, type TestClient } from '../helpers/mcp.js';

/** The database's json, which goes to the client as it is, holds to the tool's output schema. */
const inShape = (tool: string, output: unknown) =>
  expect(allTools.find((t) => t.name === tool)!.output.parse(output)).toEqual(output);

interface AuditRow {
  id: number;
  tool_name: string;
  status: string;
  error_code: string | null;
  output_json: unknown;
  conversation_id: number | null;
  digest_version: number;
}
const audits = (db: { query: <T extends object>(q: string, p?: unknown[]) => Promise<T[]> }, after: number) =>
  db.query<AuditRow>(
    `select id, tool_name, status, error_code, output_json, conversation_id, digest_version
     from tool_calls where id > $1 order by id`,
    [after],
  );
const lastId = async (db: { query: <T extends object>(q: string) => Promise<T[]> }) =>
  (await db.query<{ id: number | null }>('select max(id) as id from tool_calls'))[0]!.id ?? 0;

describe.each(dbKinds)('one-statement reads on %s', (kind) => {
  let sales: TestClient;
  const ids = { customer: 0, order: 0, product: 0 };
  const s = useServer(kind, async ({ connect, mcp }) => {
    sales = await connect({ role: 'sales' });
    ids.customer = (
      await mcp.ok<{ id: number }>('create_customer', { name: 'Ünal Gärten', email: 'u@example.com' })
    ).id;
    ids.product = (
      await mcp.ok<{ id: number }>('create_product', { sku: 'OS-1', name: 'Spade', price: '19.99', cost: '8.00' })
    ).id;
    await mcp.ok('receive_stock', { product_id: ids.product, quantity: 50 });
    await mcp.ok('remember_customer_fact', { customer_id: ids.customer, key: 'contact', value: 'phone after 2pm' });
    ids.order = (
      await mcp.ok<{ id: number }>('create_order', {
        customer_id: ids.customer,
        items: [{ product_id: ids.product, quantity: 3, discount: '0.1' }],
      })
    ).id;
    await mcp.ok('confirm_order', { order_id: ids.order });
    const draft = await mcp.ok<{ id: number }>('create_order', {
      customer_id: ids.customer,
      items: [{ product_id: ids.product, quantity: 1 }],
    });
    await mcp.ok('cancel_order', { order_id: draft.id, reason: 'changed their mind' });
  });

  it('answers get_customer and get_order as the other tools show the same records, and audits the answer', async () => {
    const before = await lastId(s.db);
    const customer = await sales.ok<Record<string, unknown>>('get_customer', { customer_id: ids.customer });
    const order = await sales.ok<Record<string, unknown>>('get_order', { order_id: ids.order });
    const [found] = (
      await sales.ok<{ items: Record<string, unknown>[] }>('search_customers', { query: 'unal' })
    ).items.filter((c) => c.id === ids.customer);
    expect(customer).toMatchObject(found!);
    expect(Object.keys(customer)).toEqual([
      'id',
      'name',
      'email',
      'phone',
      'created_at',
      'updated_at',
      'memory',
      'open_orders',
      'open_balance',
    ]);
    expect(customer.memory).toEqual([
      { key: 'contact', value: 'phone after 2pm', updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*\.\d{3}Z$/) },
    ]);
    expect(customer.open_orders).toEqual([
      { id: ids.order, status: 'confirmed', total: '53.97', created_at: order.created_at },
    ]);
    expect(customer.open_balance).toBe('0.00');
    const [listed] = (
      await sales.ok<{ items: Record<string, unknown>[] }>('list_orders', {
        customer_id: ids.customer,
        status: 'confirmed',
      })
    ).items;
    const { items, ...summary } = order;
    expect(summary).toEqual(listed);
    expect(items).toEqual([
      {
        id: expect.any(Number),
        product_id: ids.product,
        sku: 'OS-1',
        name: 'Spade',
        quantity: 3,
        price: '19.99',
        discount: '0.1000',
        line_total: '53.97',
      },
    ]);
    inShape('get_customer', customer);
    inShape('get_order', order);
    const rows = await audits(s.db, before);
    expect(rows.slice(0, 2)).toMatchObject([
      { tool_name: 'get_customer', status: 'ok', output_json: customer, digest_version: 2 },
      { tool_name: 'get_order', status: 'ok', output_json: order, digest_version: 2 },
    ]);
    expect(await s.mcp.ok('verify_audit_log')).toMatchObject({ ok: true });
  });

  it("records post_invoice's answer, built by the database after the posting, as its audit row's output", async () => {
    const order = await s.mcp.ok<{ id: number }>('create_order', {
      customer_id: ids.customer,
      items: [{ product_id: ids.product, quantity: 2 }],
    });
    await s.mcp.ok('confirm_order', { order_id: order.id });
    const draft = await s.mcp.ok<{ id: number }>('create_invoice', {
      customer_id: ids.customer,
      order_ids: [order.id],
    });
    const before = await lastId(s.db);
    const posted = await s.mcp.ok<Record<string, unknown>>('post_invoice', { invoice_id: draft.id });
    expect(posted).toMatchObject({
      id: draft.id,
      status: 'posted',
      invoice_number: expect.stringMatching(/^INV-\d{4}-\d{4}$/),
    });
    expect(posted).toEqual(await s.mcp.ok('get_invoice', { invoice_id: draft.id }));
    inShape('post_invoice', posted);
    expect(await audits(s.db, before)).toMatchObject([
      { tool_name: 'post_invoice', status: 'ok', output_json: posted, digest_version: 2 },
      { tool_name: 'get_invoice', status: 'ok' },
    ]);
    expect(await s.mcp.fail('post_invoice', { invoice_id: draft.id })).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('only drafts can be posted'),
    });
  });

  it('refuses a missing record once, with the long way’s NOT_FOUND, and links no conversation that is not the caller’s', async () => {
    const before = await lastId(s.db);
    expect(await sales.fail('get_customer', { customer_id: 999_999 })).toEqual({
      code: 'NOT_FOUND',
      message: expect.stringContaining('999999'),
    });
    expect(await sales.fail('get_order', { order_id: 999_999 })).toMatchObject({ code: 'NOT_FOUND' });
    const theirs = await s.mcp.ok<{ id: number }>('start_conversation');
    const r = await sales.client.callTool({
      name: 'get_customer',
      arguments: { customer_id: ids.customer },
      _meta: { 'erp-mcp/conversation_id': theirs.id },
    });
    expect(r.isError).toBe(true);
    expect((r.content as { text: string }[])[0]!.text).toMatch(/^INVALID_INPUT: _meta\.erp-mcp\/conversation_id: /);
    const mine = await sales.ok<{ id: number }>('start_conversation');
    await sales.client.callTool({
      name: 'get_customer',
      arguments: { customer_id: ids.customer },
      _meta: { 'erp-mcp/conversation_id': mine.id },
    });
    expect(
      (await audits(s.db, before)).map(({ tool_name, status, error_code, conversation_id }) => ({
        tool_name,
        status,
        error_code,
        conversation_id,
      })),
    ).toEqual([
      { tool_name: 'get_customer', status: 'error', error_code: 'NOT_FOUND', conversation_id: null },
      { tool_name: 'get_order', status: 'error', error_code: 'NOT_FOUND', conversation_id: null },
      { tool_name: 'start_conversation', status: 'ok', error_code: null, conversation_id: null },
      { tool_name: 'get_customer', status: 'invalid', error_code: 'INVALID_INPUT', conversation_id: null },
      { tool_name: 'start_conversation', status: 'ok', error_code: null, conversation_id: null },
      { tool_name: 'get_customer', status: 'ok', error_code: null, conversation_id: mine.id },
    ]);
  });

  it('refuses a caller disabled since the server started, as every other call', async () => {
    const reader = await s.connect({ role: 'analyst', email: 'reader@one-statement.test' });
    expect(await reader.ok('get_order', { order_id: ids.order })).toMatchObject({ id: ids.order });
    const [user] = await s.db.query<{ id: number }>("select id from users where email = 'reader@one-statement.test'");
    await s.mcp.ok('disable_user', { user_id: user!.id });
    const before = await lastId(s.db);
    expect(await reader.fail('get_order', { order_id: ids.order })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await audits(s.db, before)).toMatchObject([{ tool_name: 'get_order', status: 'denied' }]);
  });

  it('verifies rows written before sql/019 (digest version 1) beside new ones, and finds an edit of either', async () => {
    // A row as a server before 019 appended it: its digest computed by the server.
    const content = {
      created_at: '2026-01-02T03:04:05.678Z',
      agent: 'sales',
      tool_name: 'get_customer',
      status: 'ok' as const,
      error_code: null,
      duration_ms: 3,
      user_id: null,
      approval_id: null,
      input_json: { customer_id: 1, b: [1, 'x'] },
      output_json: { z: 1, a: { c: 'ü', b: null } },
    };
    const [{ id: old }] = (await s.db.transaction((tx) =>
      tx.query<{ id: number }>(
        "select append_tool_call('sales', 'get_customer', $1::jsonb, $2::jsonb, 'ok', null, 3, null, null, null, $3, $4) as id",
        [
          JSON.stringify(content.input_json),
          JSON.stringify(content.output_json),
          content.created_at,
          contentDigest(content),
        ],
      ),
    )) as [{ id: number }];
    await sales.ok('get_customer', { customer_id: ids.customer });
    expect(await s.db.query('select digest_version from tool_calls where id = $1', [old])).toEqual([
      { digest_version: 1 },
    ]);
    expect(await s.mcp.ok('verify_audit_log')).toMatchObject({ ok: true });
    const [newest] = await s.db.query<{ id: number }>(
      "select id from tool_calls where tool_name = 'get_customer' and status = 'ok' order by id desc limit 1",
    );
    for (const [id, edit] of [
      [old, `output_json = '{"z": 2, "a": {"c": "ü", "b": null}}'`],
      [newest!.id, 'duration_ms = duration_ms + 1'],
    ] as const) {
      const [row] = await s.db.owner.query<Record<string, unknown>>('select * from tool_calls where id = $1', [id]);
      await s.db.owner.query(`update tool_calls set ${edit} where id = $1`, [id]);
      expect(await s.mcp.ok('verify_audit_log')).toMatchObject({
        ok: false,
        first_broken_id: id,
        problem: expect.stringContaining('does not match its hash'),
      });
      await s.db.owner.query('update tool_calls set output_json = $2, duration_ms = $3 where id = $1', [
        id,
        JSON.stringify(row!.output_json),
        row!.duration_ms,
      ]);
    }
    expect(await s.mcp.ok('verify_audit_log')).toMatchObject({ ok: true });
  });
});
