import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, type SeedResult } from '../../src/demo/seed.js';
import { count, dbKinds, freshDb, type TestDb } from '../helpers/db.js';
import { expectInvariants } from '../helpers/invariants.js';

describe.each(dbKinds)('demo seed on %s', (kind) => {
  let db: TestDb;
  let first: SeedResult;
  let usersBefore: number;
  beforeAll(async () => {
    db = await freshDb(kind);
    usersBefore = await count(db, 'users');
    first = await seedDemo(db);
  });
  const holds = async () => ({
    customers: await count(db, 'customers'),
    products: await count(db, 'products'),
    suppliers: await count(db, 'suppliers'),
    users: await count(db, 'users'),
    orders: await count(db, 'orders'),
    invoices: await count(db, 'invoices'),
  });
  afterAll(() => db.close());

  it('creates dozens of customers and products, suppliers with product links, and one user per role', async () => {
    expect(await count(db, 'customers')).toBeGreaterThanOrEqual(36);
    expect(await count(db, 'products')).toBeGreaterThanOrEqual(30);
    expect(await count(db, 'suppliers')).toBeGreaterThanOrEqual(5);
    const unsupplied = await db.query(
      'select p.sku from products p where not exists (select 1 from supplier_products sp where sp.product_id = p.id)',
    );
    expect(unsupplied).toEqual([]);
    expect(await db.query('select distinct role from users order by role')).toHaveLength(6);
  });

  it('keeps stock equal to the sum of its movements', async () => {
    const off = await db.query(`select s.product_id from stock s
      left join (select product_id, sum(change_qty) as q from stock_movements group by product_id) m using (product_id)
      where s.qty_on_hand <> coalesce(m.q, 0)`);
    expect(off).toEqual([]);
  });

  it('books opening stock so the inventory account equals stock valued at cost, and every entry balances', async () => {
    const [row] = await db.query<{ ledger: string; valuation: string }>(`select
      (select sum(debit - credit) from ledger_lines where account = '1200') as ledger,
      (select sum(s.qty_on_hand * p.cost) from stock s join products p on p.id = s.product_id) as valuation`);
    expect(row!.ledger).toBe(row!.valuation);
    expect(
      await db.query('select entry_id from ledger_lines group by entry_id having sum(debit) <> sum(credit)'),
    ).toEqual([]);
  });

  it('leaves some products below their reorder point, so reorder suggestions have work', async () => {
    const [row] = await db.query<{ n: number }>(
      'select count(*)::int as n from stock where qty_on_hand - reserved_qty <= reorder_point',
    );
    expect(row!.n).toBeGreaterThanOrEqual(3);
  });

  it('has a year of orders in every status, leads and tickets', async () => {
    const statuses = await db.query<{ status: string }>('select distinct status from orders order by status');
    expect(statuses.map((s) => s.status)).toEqual(['cancelled', 'confirmed', 'draft', 'fulfilled']);
    const [span] = await db.query<{ months: number }>(
      "select count(distinct date_trunc('month', created_at))::int as months from orders",
    );
    expect(span!.months).toBeGreaterThanOrEqual(12);
    expect(await count(db, 'leads')).toBeGreaterThanOrEqual(8);
    expect(await count(db, 'tickets')).toBeGreaterThanOrEqual(6);
    expect(await db.query("select 1 from leads where status = 'won' and customer_id is not null")).not.toEqual([]);
  });

  it('bills shipped orders, with paid, part-paid and overdue invoices', async () => {
    const [row] = await db.query<{ posted: number; paid: number; overdue: number; partial: number }>(`select
      count(*) filter (where status in ('posted', 'paid'))::int as posted, count(*) filter (where status = 'paid')::int as paid,
      count(*) filter (where status = 'posted' and due_date < current_date)::int as overdue,
      count(*) filter (where status = 'posted' and paid > 0)::int as partial from invoice_balances`);
    expect(row!.posted).toBeGreaterThan(100);
    expect(row!.paid).toBeGreaterThan(row!.posted / 2);
    expect(row!.overdue).toBeGreaterThanOrEqual(5);
    expect(row!.partial).toBeGreaterThanOrEqual(3);
  });

  it('leaves every stock and ledger invariant intact', async () => {
    await expectInvariants(db);
  });

  it('reports what it added, counted in the database (a converted lead is a customer too)', async () => {
    const now = await holds();
    expect(first).toEqual({ seeded: true, added: { ...now, users: now.users - usersBefore } });
  });

  it('does nothing the second time, and reports what the database holds', async () => {
    const before = await holds();
    const second = await seedDemo(db);
    expect(second).toEqual({ seeded: false, seededAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), present: before });
    expect(await holds()).toEqual(before);
  });
});
