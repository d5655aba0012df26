import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/seed.js';
import { count, dbKinds, freshDb, type TestDb } from '../helpers/db.js';

describe.each(dbKinds)('demo seed on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await freshDb(kind);
    await seedDemo(db);
  });
  afterAll(() => db.close());

  it('creates dozens of customers and products, suppliers with product links, and one user per role', async () => {
    expect(await count(db, 'customers')).toBeGreaterThanOrEqual(36);
    expect(await count(db, 'products')).toBeGreaterThanOrEqual(30);
    expect(await count(db, 'suppliers')).toBeGreaterThanOrEqual(5);
    const unsupplied = await db.query('select p.sku from products p where not exists (select 1 from supplier_products sp where sp.product_id = p.id)');
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
    expect(await db.query('select entry_id from ledger_lines group by entry_id having sum(debit) <> sum(credit)')).toEqual([]);
  });

  it('leaves some products below their reorder point, so reorder suggestions have work', async () => {
    const [row] = await db.query<{ n: number }>('select count(*)::int as n from stock where qty_on_hand <= reorder_point');
    expect(row!.n).toBeGreaterThanOrEqual(3);
  });

  it('does nothing the second time', async () => {
    const before = await count(db, 'customers');
    expect((await seedDemo(db)).seeded).toBe(false);
    expect(await count(db, 'customers')).toBe(before);
  });
});
