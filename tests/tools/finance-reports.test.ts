// A hand-computed year: every report figure asserted to the cent, then check_books catching
// each kind of damage.
import { describe, expect, it } from 'vitest';
import { writeDamage } from '../helpers/damage.js';
import { dbKinds } from '../helpers/db.js';
import { useServer, type TestClient } from '../helpers/mcp.js';

const Y = new Date().getUTCFullYear();
type Row = Record<string, unknown>;

describe.each(dbKinds)('finance reports on %s', (kind) => {
  let finance: TestClient;
  let a: number;
  let inv3: number;
  let productId: number;

  const s = useServer(kind, async ({ db, mcp: admin, connect }) => {
    finance = await connect({ role: 'finance' });
    a = (await admin.ok<{ id: number }>('create_customer', { name: 'Report Co' })).id;
    const b = (await admin.ok<{ id: number }>('create_customer', { name: 'Other Co' })).id;
    await admin.ok('post_journal_entry', {
      entry_date: `${Y}-01-02`,
      memo: 'Owner capital',
      lines: [
        { account: '1000', debit: '5000.00' },
        { account: '3000', credit: '5000.00' },
      ],
    });
    productId = (
      await admin.ok<{ id: number }>('create_product', {
        sku: 'REP-1',
        name: 'Report Lamp',
        price: '100.00',
        cost: '40.00',
      })
    ).id;
    await admin.ok('receive_stock', { product_id: productId, quantity: 10 }); // Dr 1200 400 / Cr 2000 400
    const order = (
      await admin.ok<{ id: number }>('create_order', {
        customer_id: a,
        items: [{ product_id: productId, quantity: 3, discount: 0.1 }],
      })
    ).id; // 270.00
    await admin.ok('confirm_order', { order_id: order });
    await admin.ok('fulfill_order', { order_id: order }); // COGS 120.00
    const post = async (args: Row) =>
      (
        await admin.ok<{ id: number }>('post_invoice', {
          invoice_id: (await admin.ok<{ id: number }>('create_invoice', args)).id,
        })
      ).id;
    await post({
      customer_id: a,
      order_ids: [order],
      issue_date: `${Y}-03-01`,
      due_date: `${Y}-03-31`,
      tax_rate: 0.0825,
    }); // 270.00 + 22.28 = 292.28
    const inv2 = await post({
      customer_id: a,
      lines: [{ description: 'Installation', quantity: 1, unit_price: '150.00' }],
      issue_date: `${Y}-09-01`,
      due_date: `${Y}-10-01`,
    });
    inv3 = await post({
      customer_id: b,
      lines: [{ description: 'Lamp shades', quantity: 2, unit_price: '49.99' }],
      issue_date: `${Y}-11-20`,
      due_date: `${Y}-12-20`,
      tax_rate: '0.0825',
    }); // 99.98 + 8.25
    await admin.ok('record_payment', { customer_id: a, amount: '100.00', method: 'bank', received_at: `${Y}-04-15` });
    await admin.fail('issue_credit_note', { invoice_id: inv2, amount: '30.00', reason: 'Late installation' });
    const [pending] = await db.query<{ id: number }>("select id from approvals where status = 'pending'");
    await finance.ok('decide_approval', { approval_id: pending!.id, decision: 'approve' });
    await admin.ok('post_journal_entry', {
      entry_date: `${Y}-06-01`,
      memo: 'Rent',
      lines: [
        { account: '6000', debit: '800.00' },
        { account: '1000', credit: '800.00' },
      ],
    });
  });

  it('trial_balance: every account to the cent, debits = credits', async () => {
    const t = await s.mcp.ok<{
      accounts: { account: string; debit: string; credit: string; balance: string }[];
      total_debit: string;
      total_credit: string;
      balanced: boolean;
    }>('trial_balance', { as_of: `${Y}-12-31` });
    const balances = Object.fromEntries(
      t.accounts.filter((x) => x.debit !== '0.00' || x.credit !== '0.00').map((x) => [x.account, x.balance]),
    );
    expect(balances).toEqual({
      '1000': '4300.00',
      '1100': '420.51',
      '1200': '280.00',
      '2000': '-400.00',
      '2100': '-30.53',
      '3000': '-5000.00',
      '4000': '-489.98',
      '5000': '120.00',
      '6000': '800.00',
    });
    expect(t).toMatchObject({ total_debit: '7000.51', total_credit: '7000.51', balanced: true });
  });

  it('income_statement: revenue, COGS, gross profit, expenses, net income', async () => {
    expect(await s.mcp.ok('income_statement', { from: `${Y}-01-01`, to: `${Y}-12-31` })).toMatchObject({
      revenue: '489.98',
      cost_of_goods_sold: '120.00',
      gross_profit: '369.98',
      expenses: '800.00',
      net_income: '-430.02',
    });
    expect(await s.mcp.ok('income_statement', { from: `${Y}-06-01`, to: `${Y}-06-30` })).toMatchObject({
      revenue: '0.00',
      expenses: '800.00',
      net_income: '-800.00',
    });
    expect((await s.mcp.fail('income_statement', { from: `${Y}-12-01`, to: `${Y}-01-01` })).code).toBe('INVALID_INPUT');
  });

  it('balance_sheet balances, with current-year earnings in equity', async () => {
    expect(await s.mcp.ok('balance_sheet', { as_of: `${Y}-12-31` })).toMatchObject({
      total_assets: '5000.51',
      total_liabilities: '430.53',
      total_equity: '4569.98',
      current_earnings: '-430.02',
      retained_earnings: '0.00',
      balanced: true,
    });
    expect(await s.mcp.ok('balance_sheet', { as_of: `${Y}-01-02` })).toMatchObject({
      total_assets: '5000.00',
      total_equity: '5000.00',
      balanced: true,
    });
  });

  it('ar_aging puts each open invoice in its bucket by days past due', async () => {
    const aging = await s.mcp.ok<{ buckets: Row; total: string; customers: Row[] }>('ar_aging', {
      as_of: `${Y}-11-25`,
    });
    expect(aging.buckets).toEqual({
      current: '108.23',
      d1_30: '0.00',
      d31_60: '120.00',
      d61_90: '0.00',
      over_90: '192.28',
    });
    expect(aging.total).toBe('420.51');
    expect(aging.customers.find((c) => c.name === 'Report Co')).toMatchObject({
      over_90: '192.28',
      d31_60: '120.00',
      total: '312.28',
    });
  });

  it('customer_statement runs the balance line by line, with an opening balance', async () => {
    const statement = await s.mcp.ok<{
      opening_balance: string;
      lines: { kind: string; amount: string; balance: string }[];
      closing_balance: string;
    }>('customer_statement', { customer_id: a, from: `${Y}-01-01`, to: `${Y}-12-31` });
    expect(statement.lines.map((l) => `${l.kind} ${l.amount} → ${l.balance}`)).toEqual([
      'invoice 292.28 → 292.28',
      'payment -100.00 → 192.28',
      'invoice 150.00 → 342.28',
      'credit_note -30.00 → 312.28',
    ]);
    expect(statement).toMatchObject({ opening_balance: '0.00', closing_balance: '312.28' });
    expect(
      (
        await s.mcp.ok<{ opening_balance: string }>('customer_statement', {
          customer_id: a,
          from: `${Y}-05-01`,
          to: `${Y}-12-31`,
        })
      ).opening_balance,
    ).toBe('192.28');
    expect((await s.mcp.fail('customer_statement', { customer_id: 99999 })).code).toBe('NOT_FOUND');
  });

  it('accounts: list with types, create a new one, refuse a duplicate', async () => {
    expect((await s.mcp.ok<{ accounts: unknown[] }>('list_accounts')).accounts).toHaveLength(11);
    expect(await s.mcp.ok('create_account', { account: '6100', description: 'Rent', type: 'expense' })).toEqual({
      account: '6100',
      description: 'Rent',
      type: 'expense',
    });
    expect((await s.mcp.fail('create_account', { account: '6100', description: 'Again', type: 'expense' })).code).toBe(
      'CONFLICT',
    );
    expect((await s.mcp.fail('create_account', { account: '61', description: 'Short', type: 'expense' })).code).toBe(
      'INVALID_INPUT',
    );
  });

  it('check_books passes on consistent books and names each kind of damage', async () => {
    const failing = async () =>
      (await s.mcp.ok<{ ok: boolean; checks: { name: string; ok: boolean }[] }>('check_books')).checks
        .filter((c) => !c.ok)
        .map((c) => c.name);
    expect(await failing()).toEqual([]);
    // The database refuses an unbalanced entry at commit (sql/008); check_books must still see
    // one written before that check existed.
    const [e] = await writeDamage(s.db, async (tx) => {
      const entry = await tx.query<{ id: number }>(
        "insert into ledger_entries (entry_date, memo) values (current_date, 'broken') returning id",
      );
      await tx.query("insert into ledger_lines (entry_id, account, debit) values ($1, '6000', 1)", [entry[0]!.id]);
      return entry;
    });
    expect(await failing()).toEqual(['entries_balance']);
    await s.db.owner.transaction(async (tx) => {
      await tx.query('delete from ledger_lines where entry_id = $1', [e!.id]);
      await tx.query('delete from ledger_entries where id = $1', [e!.id]);
    });
    await s.db.query('update stock set qty_on_hand = qty_on_hand + 1 where product_id = $1', [productId]);
    expect(await failing()).toEqual(['inventory_valuation', 'stock_matches_movements']);
    await s.db.query('update stock set qty_on_hand = qty_on_hand - 1 where product_id = $1', [productId]);
    await s.db.query(`update invoices set invoice_number = 'INV-${Y}-0009' where id = $1`, [inv3]);
    expect(await failing()).toEqual(['numbers_gapless']);
    await s.db.query(`update invoices set invoice_number = 'INV-${Y}-0003' where id = $1`, [inv3]);
    expect(await failing()).toEqual([]);
  });
});
