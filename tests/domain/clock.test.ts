// The one clock: fixing it fixes every date the books pick by themselves.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getInvoice } from '../../src/domain/finance/invoice-queries.js';
import { createInvoice, postInvoice } from '../../src/domain/finance/invoices.js';
import { recordPayment } from '../../src/domain/finance/payments.js';
import { createCustomer } from '../../src/domain/sales/customers.js';
import { addDays, now, today, useFixedClock } from '../../src/domain/shared/clock.js';
import { dbKinds, freshDb, type TestDb } from '../helpers/db.js';

describe('clock', () => {
  let restore: (() => void) | undefined;
  afterEach(() => restore?.());

  it('useFixedClock stops today() and now(); its restore function brings the wall clock back', () => {
    restore = useFixedClock('2031-02-27');
    expect(today()).toBe('2031-02-27');
    expect(now().toISOString()).toBe('2031-02-27T00:00:00.000Z');
    restore();
    expect(Math.abs(now().getTime() - Date.now())).toBeLessThan(1000);
  });

  it('addDays counts calendar days across month and leap-year ends', () => {
    expect(addDays('2031-02-27', 30)).toBe('2031-03-29');
    expect(addDays('2032-02-28', 1)).toBe('2032-02-29');
    expect(addDays('2031-01-01', -1)).toBe('2030-12-31');
  });

  it('refuses a date it cannot read', () => {
    expect(() => useFixedClock('27/02/2031')).toThrow(RangeError);
  });
});

describe.each(dbKinds)('dates the books pick on %s', (kind) => {
  let db: TestDb;
  let customer: number;
  let restore: (() => void) | undefined;
  beforeAll(async () => {
    db = await freshDb(kind);
    customer = (await createCustomer(db, { name: 'Clockwork Ltd' })).id;
  });
  afterEach(() => restore?.());
  afterAll(async () => db?.close());

  it("an invoice without dates is issued today and due 30 days later, numbered in today's year", async () => {
    restore = useFixedClock('2031-02-27T15:00:00Z');
    const invoice = await db.transaction(async (tx) => {
      const id = await createInvoice(tx, {
        customer_id: customer,
        lines: [{ description: 'Gears', quantity: 2, unit_price: '50.00' }],
      });
      await postInvoice(tx, id, null);
      return getInvoice(tx, id);
    });
    expect(invoice).toMatchObject({
      issue_date: '2031-02-27',
      due_date: '2031-03-29',
      invoice_number: 'INV-2031-0001',
      overdue: false,
    });
  });

  it("overdue follows the clock, not the database's current_date", async () => {
    const [row] = await db.query<{ id: number }>("select id from invoices where invoice_number = 'INV-2031-0001'");
    restore = useFixedClock('2031-03-29');
    expect((await db.transaction((tx) => getInvoice(tx, row!.id))).overdue).toBe(false);
    restore();
    restore = useFixedClock('2031-03-30');
    expect((await db.transaction((tx) => getInvoice(tx, row!.id))).overdue).toBe(true);
  });

  it('a payment without received_at is received today and booked on that date', async () => {
    restore = useFixedClock('2031-04-02');
    const id = await db.transaction((tx) =>
      recordPayment(tx, { customer_id: customer, amount: '10.00', method: 'card' }, null),
    );
    const [row] = await db.query<{ received_at: string; entry_date: string }>(
      `select p.received_at::text as received_at, e.entry_date::text as entry_date
       from payments p join ledger_entries e on e.source = 'payment' and e.source_id = p.id where p.id = $1`,
      [id],
    );
    expect(row).toEqual({ received_at: '2031-04-02', entry_date: '2031-04-02' });
  });
});
