import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postEntry } from '../../src/domain/finance/ledger.js';
import { recordMovement } from '../../src/domain/inventory/stock.js';
import { count, dbKinds, freshDb, type TestDb } from '../helpers/db.js';
import { expectInvariants } from '../helpers/invariants.js';
import { connect, type TestClient, useServer } from '../helpers/mcp.js';

interface Invoice {
  id: number;
  invoice_number: string | null;
  status: string;
  subtotal: string;
  tax_amount: string;
  total_amount: string;
  open_amount: string;
  paid: string;
  credited: string;
  overdue: boolean;
  lines: { line_total: string; tax_amount: string }[];
}
interface Payment {
  id: number;
  unapplied: string;
  allocations: { invoice_id: number; amount: string }[];
}
interface Approval {
  id: number;
  status: string;
  result_json: unknown;
}

const year = new Date().getUTCFullYear();

async function ledgerBalance(db: TestDb, account: string): Promise<string> {
  const [row] = await db.query<{ b: string }>(
    'select coalesce(sum(debit - credit), 0)::numeric(14,2)::text as b from ledger_lines where account = $1',
    [account],
  );
  return row!.b;
}

describe.each(dbKinds)('finance on %s', (kind) => {
  let finance: TestClient;
  let customer: number;
  const s = useServer(kind, async (s) => {
    finance = await s.connect({ role: 'finance' });
    customer = (await s.mcp.ok<{ id: number }>('create_customer', { name: 'Ledger Lane Ltd' })).id;
  });
  let inv1: Invoice;
  let inv2: Invoice;

  it('create_invoice prices lines and tax half-up per line; drafts have no number and no entry', async () => {
    inv1 = await s.mcp.ok<Invoice>('create_invoice', {
      customer_id: customer,
      tax_rate: 0.0825,
      lines: [
        { description: 'Consulting', quantity: 3, unit_price: '19.99' }, // 59.97, tax 4.947525 → 4.95
        { description: 'Rope (m)', quantity: '2.5', unit_price: '3.33' }, // 8.325 → 8.33, tax 0.687225 → 0.69
      ],
    });
    expect(inv1.lines.map((l) => [l.line_total, l.tax_amount])).toEqual([
      ['59.97', '4.95'],
      ['8.33', '0.69'],
    ]);
    expect(inv1).toMatchObject({
      status: 'draft',
      invoice_number: null,
      subtotal: '68.30',
      tax_amount: '5.64',
      total_amount: '73.94',
    });
    expect(await count(s.db, 'ledger_entries')).toBe(0);
  });

  it('post_invoice numbers it INV-YYYY-0001 and books Dr 1100 / Cr 4000 / Cr 2100', async () => {
    inv1 = await s.mcp.ok<Invoice>('post_invoice', { invoice_id: inv1.id });
    expect(inv1).toMatchObject({ status: 'posted', invoice_number: `INV-${year}-0001`, open_amount: '73.94' });
    expect([
      await ledgerBalance(s.db, '1100'),
      await ledgerBalance(s.db, '4000'),
      await ledgerBalance(s.db, '2100'),
    ]).toEqual(['73.94', '-68.30', '-5.64']);
    expect((await s.mcp.fail('post_invoice', { invoice_id: inv1.id })).code).toBe('CONFLICT');
    expect((await s.mcp.fail('void_invoice', { invoice_id: inv1.id })).code).toBe('CONFLICT');
  });

  it('invoices an order once, copying its discounted lines', async () => {
    const p = await s.mcp.ok<{ id: number }>('create_product', {
      sku: 'FIN-1',
      name: 'Ledger Lamp',
      price: '100.00',
      cost: '40.00',
    });
    await s.db.transaction(async (tx) => {
      await recordMovement(tx, { product_id: p.id, change_qty: 5, reason: 'opening' });
      await postEntry(tx, {
        entry_date: `${year}-01-01`,
        memo: 'opening',
        source: 'opening',
        lines: [
          { account: '1200', debit: 20000n },
          { account: '3000', credit: 20000n },
        ],
      });
    });
    const order = await s.mcp.ok<{ id: number }>('create_order', {
      customer_id: customer,
      items: [{ product_id: p.id, quantity: 2, discount: 0.125 }],
    });
    expect((await s.mcp.fail('create_invoice', { customer_id: customer, order_ids: [order.id] })).message).toContain(
      'draft',
    );
    await s.mcp.ok('confirm_order', { order_id: order.id });
    inv2 = await s.mcp.ok<Invoice>('create_invoice', { customer_id: customer, order_ids: [order.id], tax_rate: '0.2' });
    expect(inv2).toMatchObject({ subtotal: '175.00', tax_amount: '35.00', total_amount: '210.00' });
    expect((await s.mcp.fail('create_invoice', { customer_id: customer, order_ids: [order.id] })).message).toContain(
      `already on invoice ${inv2.id}`,
    );
    inv2 = await s.mcp.ok<Invoice>('post_invoice', { invoice_id: inv2.id });
    expect(inv2.invoice_number).toBe(`INV-${year}-0002`);
  });

  it('record_payment without allocations pays the oldest due invoices first and keeps the rest as credit', async () => {
    const pay = await s.mcp.ok<Payment>('record_payment', {
      customer_id: customer,
      amount: '100.00',
      method: 'bank transfer',
    });
    expect(pay.allocations).toMatchObject([
      { invoice_id: inv1.id, amount: '73.94', invoice_open: '0.00' },
      { invoice_id: inv2.id, amount: '26.06' },
    ]);
    expect(pay.unapplied).toBe('0.00');
    expect((await s.mcp.ok<Invoice>('get_invoice', { invoice_id: inv1.id })).status).toBe('paid');
    expect((await s.mcp.ok<Invoice>('get_invoice', { invoice_id: inv2.id })).open_amount).toBe('183.94');
  });

  it('never over-applies: an allocation above the open amount is refused and nothing is written', async () => {
    const before = await count(s.db, 'payments');
    const e = await s.mcp.fail('record_payment', {
      customer_id: customer,
      amount: '500.00',
      method: 'card',
      allocations: [{ invoice_id: inv2.id, amount: '200.00' }],
    });
    expect(e.code).toBe('CONFLICT');
    expect(await count(s.db, 'payments')).toBe(before);
    const pay = await s.mcp.ok<Payment>('record_payment', {
      customer_id: customer,
      amount: '500.00',
      method: 'card',
      allocations: [{ invoice_id: inv2.id, amount: '183.94' }],
    });
    expect(pay.unapplied).toBe('316.06');
    expect((await s.mcp.ok<Invoice>('get_invoice', { invoice_id: inv2.id })).status).toBe('paid');
    expect(
      (await s.mcp.fail('allocate_payment', { payment_id: pay.id, invoice_id: inv2.id, amount: '0.01' })).code,
    ).toBe('CONFLICT');
  });

  it('a credit note waits for another finance user, then posts CN-YYYY-0001 and becomes customer credit', async () => {
    const held = await s.mcp.fail('issue_credit_note', {
      invoice_id: inv1.id,
      amount: '10.00',
      reason: 'Damaged rope',
    });
    expect(held.code).toBe('APPROVAL_REQUIRED');
    const approvalId = (held as unknown as { details: { approval_id: number } }).details.approval_id;
    expect(held.message).toMatch(/approval \d+ was requested/);
    expect(await count(s.db, 'invoices')).toBe(2);
    expect((await s.mcp.fail('decide_approval', { approval_id: approvalId, decision: 'approve' })).code).toBe(
      'FORBIDDEN',
    );
    const done = await finance.ok<Approval>('decide_approval', {
      approval_id: approvalId,
      decision: 'approve',
      reason: 'Photos checked',
    });
    expect(done.status).toBe('executed');
    expect(done.result_json).toMatchObject({
      invoice_number: `CN-${year}-0001`,
      subtotal: '9.24',
      tax_amount: '0.76',
      total_amount: '10.00',
      open_amount: '10.00',
    });
    expect((await finance.fail('decide_approval', { approval_id: approvalId, decision: 'approve' })).code).toBe(
      'CONFLICT',
    );
    expect(await count(s.db, 'invoices')).toBe(3);
    // AR = open invoices (0) − unapplied payment (316.06) − unapplied credit note (10.00)
    expect(await ledgerBalance(s.db, '1100')).toBe('-326.06');
    const c = await s.mcp.ok<{ open_balance: string }>('get_customer', { customer_id: customer });
    expect(c.open_balance).toBe('-326.06');
  });

  it('manual journal entries balance, avoid control accounts, and big ones need approval', async () => {
    expect(
      (
        await s.mcp.fail('post_journal_entry', {
          entry_date: `${year}-02-01`,
          memo: 'x',
          lines: [
            { account: '6000', debit: 10 },
            { account: '1000', credit: 9 },
          ],
        })
      ).code,
    ).toBe('INVALID_INPUT');
    expect(
      (
        await s.mcp.fail('post_journal_entry', {
          entry_date: `${year}-02-01`,
          memo: 'x',
          lines: [
            { account: '1100', debit: 10 },
            { account: '1000', credit: 10 },
          ],
        })
      ).message,
    ).toContain('control account');
    expect(
      (
        await s.mcp.fail('post_journal_entry', {
          entry_date: `${year}-02-01`,
          memo: 'x',
          lines: [
            { account: '6001', debit: 10 },
            { account: '1000', credit: 10 },
          ],
        })
      ).code,
    ).toBe('NOT_FOUND');
    const rent = await s.mcp.ok<{ id: number; total: string }>('post_journal_entry', {
      entry_date: `${year}-02-01`,
      memo: 'February rent',
      lines: [
        { account: '6000', debit: '1200.00' },
        { account: '1000', credit: '1200.00' },
      ],
    });
    expect(rent.total).toBe('1200.00');
    const big = await s.mcp.fail('post_journal_entry', {
      entry_date: `${year}-02-02`,
      memo: 'Owner capital',
      lines: [
        { account: '1000', debit: '25000' },
        { account: '3000', credit: '25000' },
      ],
    });
    expect(big.code).toBe('APPROVAL_REQUIRED');
    const reversal = await s.mcp.fail('reverse_journal_entry', { entry_id: rent.id });
    expect(reversal.code).toBe('APPROVAL_REQUIRED');
    const [pending] = await s.db.query<{ id: number }>(
      "select id from approvals where action = 'reverse_journal_entry' and status = 'pending'",
    );
    const done = await finance.ok<Approval>('decide_approval', { approval_id: pending!.id, decision: 'approve' });
    expect(done.status).toBe('executed');
    expect((await s.mcp.fail('reverse_journal_entry', { entry_id: rent.id })).message).toContain('already reversed');
    const [invoiceEntry] = await s.db.query<{ id: number }>(
      "select id from ledger_entries where source = 'invoice' limit 1",
    );
    expect((await s.mcp.fail('reverse_journal_entry', { entry_id: invoiceEntry!.id })).message).toContain(
      'credit note',
    );
  });

  it('the lock date, once approved, refuses postings on or before it', async () => {
    const held = await finance.fail('set_lock_date', { date: `${year - 1}-12-31` });
    expect(held.code).toBe('APPROVAL_REQUIRED');
    const [pending] = await s.db.query<{ id: number }>(
      "select id from approvals where action = 'set_lock_date' and status = 'pending'",
    );
    expect((await finance.fail('decide_approval', { approval_id: pending!.id, decision: 'approve' })).code).toBe(
      'FORBIDDEN',
    );
    expect(
      (await s.mcp.ok<Approval>('decide_approval', { approval_id: pending!.id, decision: 'approve' })).status,
    ).toBe('executed');
    const e = await s.mcp.fail('post_journal_entry', {
      entry_date: `${year - 1}-12-31`,
      memo: 'late',
      lines: [
        { account: '6000', debit: 1 },
        { account: '1000', credit: 1 },
      ],
    });
    expect(e).toMatchObject({ code: 'CONFLICT' });
    expect(e.message).toContain('lock date');
  });

  it('a rejected approval does nothing, and a tampered payload fails instead of running', async () => {
    await s.mcp.fail('issue_credit_note', { invoice_id: inv2.id, amount: '1.00', reason: 'Goodwill' });
    const [a] = await s.db.query<{ id: number }>('select max(id) as id from approvals');
    expect(
      (await finance.ok<Approval>('decide_approval', { approval_id: a!.id, decision: 'reject', reason: 'No' })).status,
    ).toBe('rejected');
    await s.mcp.fail('issue_credit_note', { invoice_id: inv2.id, amount: '1.00', reason: 'Goodwill' });
    const [b] = await s.db.query<{ id: number }>('select max(id) as id from approvals');
    await s.db.query(
      `update approvals set payload_json = jsonb_set(payload_json, '{input,amount}', '"150.00"') where id = $1`,
      [b!.id],
    );
    const decided = await finance.ok<Approval>('decide_approval', { approval_id: b!.id, decision: 'approve' });
    expect(decided.status).toBe('failed');
    expect(await count(s.db, 'invoices')).toBe(3);
  });

  it('an approval left pending for more than a week expires instead of running', async () => {
    await s.mcp.fail('issue_credit_note', { invoice_id: inv2.id, amount: '1.00', reason: 'Late goodwill' });
    const [stale] = await s.db.query<{ id: number }>('select max(id) as id from approvals');
    await s.db.query("update approvals set created_at = now() - interval '8 days' where id = $1", [stale!.id]);
    const before = await count(s.db, 'invoices');
    expect(
      (await finance.ok<Approval>('decide_approval', { approval_id: stale!.id, decision: 'approve' })).status,
    ).toBe('expired');
    expect(await count(s.db, 'invoices')).toBe(before);
    expect((await finance.fail('decide_approval', { approval_id: stale!.id, decision: 'approve' })).code).toBe(
      'CONFLICT',
    );
  });

  it('leaves the books consistent', async () => {
    await expectInvariants(s.db);
    const [ar] = await s.db.query<{ open: string; credit: string }>(`select
      (select coalesce(sum(open_amount), 0) from invoice_balances where status in ('posted', 'paid'))::text as open,
      (select coalesce(sum(unapplied), 0) from unapplied_credits)::text as credit`);
    expect((Number(ar!.open) - Number(ar!.credit)).toFixed(2)).toBe(await ledgerBalance(s.db, '1100'));
  });
});

describe.runIf(dbKinds.includes('postgres'))('finance under concurrency on postgres', () => {
  let db: TestDb;
  let clients: TestClient[];
  let customer: number;
  beforeAll(async () => {
    db = await freshDb('postgres');
    clients = await Promise.all(Array.from({ length: 20 }, () => connect(db)));
    customer = (await clients[0]!.ok<{ id: number }>('create_customer', { name: 'Busy Buyer' })).id;
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await db.close();
  });

  it('20 clients posting invoices at once get consecutive numbers with no gap and no duplicate', async () => {
    const drafts: Invoice[] = [];
    for (let i = 0; i < 20; i++)
      drafts.push(
        await clients[0]!.ok<Invoice>('create_invoice', {
          customer_id: customer,
          lines: [{ description: `Item ${i}`, quantity: 1, unit_price: '10.00' }],
        }),
      );
    // One draft that fails to post (zero total) must not burn a number either.
    const zero = await clients[0]!.ok<Invoice>('create_invoice', {
      customer_id: customer,
      lines: [{ description: 'Free', quantity: 1, unit_price: '0' }],
    });
    const results = await Promise.all([
      ...clients.map((c, i) => c.ok<Invoice>('post_invoice', { invoice_id: drafts[i]!.id })),
      clients[1]!.call('post_invoice', { invoice_id: zero.id }),
    ]);
    const numbers = (results.slice(0, 20) as Invoice[]).map((r) => r.invoice_number!).sort();
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => `INV-${year}-${String(i + 1).padStart(4, '0')}`));
  });

  it('two payments racing for the same invoice never over-pay it', async () => {
    const inv = await clients[0]!.ok<Invoice>('create_invoice', {
      customer_id: customer,
      issue_date: '2020-01-01',
      due_date: '2020-01-31',
      lines: [{ description: 'Race', quantity: 1, unit_price: '100.00' }],
    });
    await clients[0]!.ok('post_invoice', { invoice_id: inv.id });
    const results = await Promise.all(
      clients.slice(0, 10).map((c) =>
        c.call('record_payment', {
          customer_id: customer,
          amount: '60.00',
          method: 'card',
          allocations: [{ invoice_id: inv.id, amount: '60.00' }],
        }),
      ),
    );
    expect(results.filter((r) => !r.isError)).toHaveLength(1);
    const after = await clients[0]!.ok<Invoice>('get_invoice', { invoice_id: inv.id });
    expect(after).toMatchObject({ paid: '60.00', open_amount: '40.00', status: 'posted' });
    await expectInvariants(db);
  });
});
