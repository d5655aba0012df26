// Issue 14: money applied beyond its amount when payments, postings and credit notes hit one
// customer at the same time. First the exact interleaving, forced with row locks held by the
// test; then many clients racing on shared records, ending with the books intact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { writeDamage } from '../helpers/damage.js';
import { dbKinds, freshDb, type TestDb } from '../helpers/db.js';
import { expectInvariants } from '../helpers/invariants.js';
import { blocked, holdLocks } from '../helpers/locks.js';
import { connect, type TestClient } from '../helpers/mcp.js';
import { raceOnOneCustomer } from './race-workload.js';

interface Invoice {
  id: number;
  status: string;
  total_amount: string;
  open_amount: string;
  paid: string;
  credited: string;
}

const year = new Date().getUTCFullYear();
const errorOf = (r: CallToolResult) =>
  r._meta?.['erp-mcp/error'] as { code: string; message: string; details?: { approval_id?: number } } | undefined;

// PostgreSQL only: forcing an interleaving needs transactions open side by side.
describe.runIf(dbKinds.includes('postgres'))('the allocation race on postgres, interleaving forced', () => {
  let db: TestDb;
  let admin: TestClient;
  let finance: TestClient;
  beforeAll(async () => {
    db = await freshDb('postgres');
    admin = await connect(db);
    finance = await connect(db, { role: 'finance' });
  });
  afterAll(async () => {
    await admin.close();
    await finance.close();
    await db.close();
  });

  it('record_payment never applies money to an invoice that was posted while it waited for its locks', async () => {
    const customer = (await admin.ok<{ id: number }>('create_customer', { name: 'Race Row Ltd' })).id;
    const invoice = (unit_price: string, issue_date?: string) =>
      admin.ok<Invoice>('create_invoice', {
        customer_id: customer,
        lines: [{ description: 'Work', quantity: 1, unit_price }],
        ...(issue_date ? { issue_date, due_date: issue_date } : {}),
      });
    const older = await invoice('5.00', '2020-01-15');
    await admin.ok('post_invoice', { invoice_id: older.id });
    const later = await invoice('19.00');

    // 1. Someone holds the older invoice, and the credit-note counter, for a moment.
    const holdOlder = await holdLocks(db, [['select id from invoices where id = $1 for update', [older.id]]]);
    const holdCounter = await holdLocks(db, [
      [
        `insert into document_sequences (series, year, last_value) values ('CN', $1, 0)
       on conflict (series, year) do update set last_value = document_sequences.last_value`,
        [year],
      ],
    ]);
    // 2. A payment of 13.00 (oldest due first) queues on the older invoice: its lock statement
    //    found only that one posted invoice.
    const payment = admin.call('record_payment', { customer_id: customer, amount: '13.00', method: 'bank' });
    await blocked(db, { count: 1 });
    // 3. Meanwhile the 19.00 invoice is posted, and a credit note for all of it is approved: it
    //    locks that invoice and queues on the counter.
    await admin.ok('post_invoice', { invoice_id: later.id });
    const request = await admin.call('issue_credit_note', {
      invoice_id: later.id,
      amount: '19.00',
      reason: 'returned',
    });
    expect(errorOf(request)?.code).toBe('APPROVAL_REQUIRED');
    const credit = finance.call('decide_approval', {
      approval_id: errorOf(request)!.details!.approval_id,
      decision: 'approve',
    });
    await blocked(db, { count: 2 });
    // 4. The payment goes on. Before the fix it read the 19.00 invoice as open — posted, but not
    //    locked by it — and queued to apply 8.00 to it behind the credit note's lock.
    await holdOlder.release();
    await blocked(db, { statement: '%payment_allocations%', orDone: payment });
    // 5. The credit note reads 19.00 open (the payment's 8.00 is not committed) and credits it all.
    await holdCounter.release();
    const [paid, credited] = await Promise.all([payment, credit]);

    expect(errorOf(paid), JSON.stringify(paid.content)).toBeUndefined();
    expect(paid.structuredContent).toMatchObject({
      unapplied: '8.00',
      allocations: [{ invoice_id: older.id, amount: '5.00' }],
    });
    expect((credited.structuredContent as { status: string }).status).toBe('executed');
    expect(await admin.ok<Invoice>('get_invoice', { invoice_id: later.id })).toMatchObject({
      status: 'paid',
      paid: '0.00',
      credited: '19.00',
      open_amount: '0.00',
    });
    await expectInvariants(db);
  });
});

describe.each(dbKinds)('the allocation race on %s, 24 clients', (kind) => {
  let db: TestDb;
  let clients: TestClient[];
  let approver: TestClient;
  beforeAll(async () => {
    db = await freshDb(kind);
    clients = await Promise.all(Array.from({ length: 24 }, () => connect(db)));
    approver = await connect(db, { role: 'finance' });
  });
  afterAll(async () => {
    await Promise.all([...clients, approver].map((c) => c.close()));
    await db.close();
  });

  it('payments, allocations, postings, credit notes and order changes on one customer at once leave every amount within bounds', async () => {
    // PGlite runs one transaction at a time, so it cannot race: fewer calls show it holds too.
    const outcome = await raceOnOneCustomer(db, clients, approver, { calls: kind === 'postgres' ? 25 : 10 });
    expect(outcome.unexpected, 'no call fails with INTERNAL or an unexpected code').toEqual([]);
    expect(outcome.caughtByDatabase, 'the domain code refuses first: no commit-time check fires, no deadlock').toEqual(
      [],
    );
    expect(outcome.succeeded.record_payment ?? 0).toBeGreaterThan(20);
    expect(outcome.succeeded.post_invoice ?? 0).toBeGreaterThan(10);
    await expectInvariants(db);
    const books = await clients[0]!.ok<{ ok: boolean }>('check_books');
    expect(books.ok).toBe(true);
  });
});

describe.each(dbKinds)('payments on books the race already damaged, on %s', (kind) => {
  let db: TestDb;
  let admin: TestClient;
  beforeAll(async () => {
    db = await freshDb(kind);
    admin = await connect(db);
  });
  afterAll(async () => {
    await admin.close();
    await db.close();
  });

  it('record_payment takes nothing from an over-applied invoice: its negative open amount is not money to spend', async () => {
    const customer = (await admin.ok<{ id: number }>('create_customer', { name: 'Damaged Books Ltd' })).id;
    const post = async (issue_date: string) => {
      const draft = await admin.ok<Invoice>('create_invoice', {
        customer_id: customer,
        issue_date,
        due_date: issue_date,
        lines: [{ description: 'Work', quantity: 1, unit_price: '19.00' }],
      });
      return admin.ok<Invoice>('post_invoice', { invoice_id: draft.id });
    };
    const damaged = await post('2020-01-15');
    const open = await post('2020-02-15');
    // What the race left in databases written before sql/008: 26.00 applied to a 19.00 invoice
    // that stayed 'posted'.
    await writeDamage(db, async (tx) => {
      const [p] = await tx.query<{ id: number }>(
        "insert into payments (customer_id, amount, method) values ($1, 26.00, 'legacy') returning id",
        [customer],
      );
      await tx.query('insert into payment_allocations (payment_id, invoice_id, amount) values ($1, $2, 26.00)', [
        p!.id,
        damaged.id,
      ]);
    });
    expect(await admin.ok<Invoice>('get_invoice', { invoice_id: damaged.id })).toMatchObject({
      status: 'posted',
      open_amount: '-7.00',
    });

    const paid = await admin.ok<{ unapplied: string; allocations: unknown[] }>('record_payment', {
      customer_id: customer,
      amount: '13.00',
      method: 'bank',
    });
    expect(paid).toMatchObject({ unapplied: '0.00', allocations: [{ invoice_id: open.id, amount: '13.00' }] });
  });
});
