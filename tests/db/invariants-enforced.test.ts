// The database itself refuses broken money and stock, whatever code wrote the rows (sql/008 and
// 001's CHECKs): SQL that bypasses the domain is refused, and the error reads as a tool error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, Tx } from '../../src/db/types.js';
import { fromDatabaseError } from '../../src/domain/shared/errors.js';
import { count, dbKinds, describePostgres, freshDb, type TestDb } from '../helpers/db.js';
import { expectInvariants } from '../helpers/invariants.js';
import { blocked, holdLocks } from '../helpers/locks.js';
import { connect, type TestClient, useServer } from '../helpers/mcp.js';

interface Refusal {
  sqlstate: string;
  code: string | undefined;
  message: string | undefined;
  reachedCommit: boolean;
}

/** Runs fn in a transaction that must fail; says whether fn itself ran to the end (so the refusal came at commit). */
async function refusal(db: Db, fn: (tx: Tx) => Promise<unknown>): Promise<Refusal> {
  let reachedCommit = false;
  const error = await db
    .transaction(async (tx) => {
      await fn(tx);
      reachedCommit = true;
    })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error, 'the transaction was refused').toBeDefined();
  const mapped = fromDatabaseError(error);
  return { sqlstate: (error as { code: string }).code, code: mapped?.code, message: mapped?.message, reachedCommit };
}

interface Books {
  customer: number;
  product: number;
  payment: number;
  invoice: number;
  other: number;
  creditNote: number;
  entry: number;
}

/** A 13.00 payment left unapplied, two posted 19.00 invoices, and a 4.00 credit note on the first. */
async function setUpBooks(db: TestDb, admin: TestClient, finance: TestClient): Promise<Books> {
  const customer = (await admin.ok<{ id: number }>('create_customer', { name: 'Strict Books Ltd' })).id;
  const payment = (
    await admin.ok<{ id: number }>('record_payment', { customer_id: customer, amount: '13.00', method: 'bank' })
  ).id;
  const postInvoice = async () => {
    const draft = await admin.ok<{ id: number }>('create_invoice', {
      customer_id: customer,
      lines: [{ description: 'Work', quantity: 1, unit_price: '19.00' }],
    });
    return (await admin.ok<{ id: number }>('post_invoice', { invoice_id: draft.id })).id;
  };
  const invoice = await postInvoice();
  const other = await postInvoice();
  const held = await admin.call('issue_credit_note', { invoice_id: invoice, amount: '4.00', reason: 'scratched' });
  const approvalId = (held._meta!['erp-mcp/error'] as { details: { approval_id: number } }).details.approval_id;
  const approved = await finance.ok<{ result_json: { id: number } }>('decide_approval', {
    approval_id: approvalId,
    decision: 'approve',
  });
  const product = (
    await admin.ok<{ id: number }>('create_product', {
      sku: 'STRICT-1',
      name: 'Strict Widget',
      price: '5.00',
      cost: '0.00',
    })
  ).id;
  await admin.ok('receive_stock', { product_id: product, quantity: 3 });
  const [entry] = await db.query<{ id: number }>('select ledger_entry_id as id from payments where id = $1', [payment]);
  return { customer, product, payment, invoice, other, creditNote: approved.result_json.id, entry: entry!.id };
}

describe.each(dbKinds)('invariants enforced by %s', (kind) => {
  let finance: TestClient;
  let b: Books;
  const s = useServer(kind, async ({ db, mcp: admin, connect }) => {
    finance = await connect({ role: 'finance' });
    b = await setUpBooks(db, admin, finance);
  });

  it('allocating a payment beyond its amount is refused at commit, naming the payment and both amounts', async () => {
    const r = await refusal(s.db, (tx) =>
      tx.query('insert into payment_allocations (payment_id, invoice_id, amount) values ($1, $2, 14.00)', [
        b.payment,
        b.other,
      ]),
    );
    expect(r).toEqual({
      sqlstate: 'EM001',
      code: 'CONFLICT',
      reachedCommit: true,
      message: `Payment ${b.payment} would be allocated 14.00 in all, but its amount is 13.00`,
    });
  });

  it('splitting an over-allocation over two statements is refused all the same', async () => {
    const r = await refusal(s.db, async (tx) => {
      await tx.query('insert into payment_allocations (payment_id, invoice_id, amount) values ($1, $2, 10.00)', [
        b.payment,
        b.invoice,
      ]);
      await tx.query('insert into payment_allocations (payment_id, invoice_id, amount) values ($1, $2, 5.00)', [
        b.payment,
        b.other,
      ]);
    });
    expect([r.sqlstate, r.code]).toEqual(['EM001', 'CONFLICT']);
  });

  it('applying more to an invoice than its total, payments and credit notes together, is refused at commit', async () => {
    // 4.00 is credited already; paying 13.00 and then 3.00 more makes 20.00 on a 19.00 invoice.
    const r = await refusal(s.db, async (tx) => {
      await tx.query('insert into payment_allocations (payment_id, invoice_id, amount) values ($1, $2, 13.00)', [
        b.payment,
        b.invoice,
      ]);
      const [second] = await tx.query<{ id: number }>(
        "insert into payments (customer_id, amount, method) values ($1, 3.00, 'cash') returning id",
        [b.customer],
      );
      await tx.query('insert into payment_allocations (payment_id, invoice_id, amount) values ($1, $2, 3.00)', [
        second!.id,
        b.invoice,
      ]);
    });
    expect(r.sqlstate).toBe('EM003');
    expect(r.code).toBe('CONFLICT');
    expect(r.message).toMatch(
      new RegExp(
        `^Invoice ${b.invoice} \\(INV-\\d{4}-0001\\) would have 20\\.00 applied \\(payments 16\\.00, credit notes 4\\.00\\), but its total is 19\\.00$`,
      ),
    );
  });

  it('applying a credit note beyond its amount is refused at commit', async () => {
    const r = await refusal(s.db, (tx) =>
      tx.query('insert into credit_allocations (credit_note_id, invoice_id, amount) values ($1, $2, 0.01)', [
        b.creditNote,
        b.other,
      ]),
    );
    expect(r).toMatchObject({ sqlstate: 'EM002', code: 'CONFLICT', reachedCommit: true });
    expect(r.message).toMatch(/^Credit note \d+ \(CN-\d{4}-0001\) would apply 4\.01 in all, but its amount is 4\.00$/);
  });

  it('lowering a payment below what it has allocated is refused at commit', async () => {
    const draft = await s.mcp.ok<{ id: number }>('create_invoice', {
      customer_id: b.customer,
      lines: [{ description: 'Small', quantity: 1, unit_price: '2.00' }],
    });
    await s.mcp.ok('post_invoice', { invoice_id: draft.id });
    const paid = await s.mcp.ok<{ id: number }>('record_payment', {
      customer_id: b.customer,
      amount: '2.00',
      method: 'cash',
      allocations: [{ invoice_id: draft.id, amount: '2.00' }],
    });
    const r = await refusal(s.db, (tx) => tx.query('update payments set amount = 1.00 where id = $1', [paid.id]));
    expect([r.sqlstate, r.message]).toEqual([
      'EM001',
      `Payment ${paid.id} would be allocated 2.00 in all, but its amount is 1.00`,
    ]);
  });

  it('a journal entry whose lines do not balance is refused at commit', async () => {
    const r = await refusal(s.db, async (tx) => {
      const [e] = await tx.query<{ id: number }>(
        "insert into ledger_entries (entry_date, memo) values (current_date, 'lopsided') returning id",
      );
      await tx.query("insert into ledger_lines (entry_id, account, debit) values ($1, '6000', 10.00)", [e!.id]);
      await tx.query("insert into ledger_lines (entry_id, account, credit) values ($1, '1000', 9.99)", [e!.id]);
    });
    expect(r).toMatchObject({ sqlstate: 'EM004', code: 'INVALID_INPUT', reachedCommit: true });
    expect(r.message).toMatch(/^Journal entry \d+ does not balance: debits 10\.00 and credits 9\.99/);
  });

  it('a journal entry without lines is refused at commit', async () => {
    const r = await refusal(s.db, (tx) =>
      tx.query("insert into ledger_entries (entry_date, memo) values (current_date, 'empty')"),
    );
    expect(r).toMatchObject({ sqlstate: 'EM004', code: 'INVALID_INPUT', reachedCommit: true });
    expect(r.message).toMatch(/debits 0(\.00)? and credits 0(\.00)?/);
  });

  it('removing or changing one line of a balanced entry is refused at commit; removing the whole entry is not a balance problem', async () => {
    // Only the owner may change the ledger at all (sql/007); the server's role may just append.
    expect(
      (
        await refusal(s.db.owner, (tx) =>
          tx.query("delete from ledger_lines where entry_id = $1 and account = '1000'", [b.entry]),
        )
      ).sqlstate,
    ).toBe('EM004');
    expect(
      (
        await refusal(s.db.owner, (tx) =>
          tx.query("update ledger_lines set debit = 12.00 where entry_id = $1 and account = '1000'", [b.entry]),
        )
      ).sqlstate,
    ).toBe('EM004');
    await s.db.owner.transaction(async (tx) => {
      const [e] = await tx.query<{ id: number }>(
        "insert into ledger_entries (entry_date, memo) values (current_date, 'draft') returning id",
      );
      await tx.query(
        "insert into ledger_lines (entry_id, account, debit, credit) values ($1, '6000', 1, 0), ($1, '1000', 0, 1)",
        [e!.id],
      );
      await tx.query('delete from ledger_lines where entry_id = $1', [e!.id]);
      await tx.query('delete from ledger_entries where id = $1', [e!.id]);
    });
  });

  it('stock on hand never goes below zero, nor reserved stock below zero or above stock on hand', async () => {
    const update = (sql: string) => refusal(s.db, (tx) => tx.query(sql, [b.product]));
    expect(await update('update stock set qty_on_hand = -1, reserved_qty = 0 where product_id = $1')).toEqual({
      sqlstate: '23514',
      code: 'INSUFFICIENT_STOCK',
      message: `Stock on hand of product ${b.product} cannot go below zero (it would be -1)`,
      reachedCommit: false,
    });
    expect(await update('update stock set reserved_qty = qty_on_hand + 1 where product_id = $1')).toMatchObject({
      code: 'INSUFFICIENT_STOCK',
      message: `Reserved stock of product ${b.product} (4) cannot exceed its stock on hand (3)`,
    });
    expect(await update('update stock set reserved_qty = -1 where product_id = $1')).toMatchObject({
      code: 'CONFLICT',
      message: `Reserved stock of product ${b.product} cannot go below zero: more was released than reserved`,
    });
  });

  it('after every refusal the books are exactly as the tools left them', async () => {
    expect(await count(s.db, 'payment_allocations')).toBe(1);
    expect(await count(s.db, 'credit_allocations')).toBe(1);
    await expectInvariants(s.db);
  });
});

describePostgres('invariants under concurrent commits on %s', () => {
  let db: TestDb;
  let admin: TestClient;
  let finance: TestClient;
  let b: Books;
  beforeAll(async () => {
    db = await freshDb('postgres');
    admin = await connect(db);
    finance = await connect(db, { role: 'finance' });
    b = await setUpBooks(db, admin, finance);
  });
  afterAll(async () => {
    await admin.close();
    await finance.close();
    await db.close();
  });

  it('two transactions that each allocate 8.00 of a 13.00 payment, committing at the same moment: exactly one commits', async () => {
    // Hold the payment as a check would, so both reach their commit-time check before either can finish it.
    const hold = await holdLocks(db, [['select id from payments where id = $1 for no key update', [b.payment]]]);
    const allocate = (invoice: number) =>
      db.transaction((tx) =>
        tx.query('insert into payment_allocations (payment_id, invoice_id, amount) values ($1, $2, 8.00)', [
          b.payment,
          invoice,
        ]),
      );
    const both = Promise.allSettled([allocate(b.invoice), allocate(b.other)]);
    await blocked(db, { count: 2, statement: 'commit%', orDone: both });
    await hold.release();
    const results = await both;
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason as {
      code: string;
      message: string;
    };
    expect([refused.code, refused.message]).toEqual([
      'EM001',
      `Payment ${b.payment} would be allocated 16.00 in all, but its amount is 13.00`,
    ]);
    await expectInvariants(db);
  });
});
