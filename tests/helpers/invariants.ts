// The book- and stock-keeping invariants every test sequence must leave intact.
import { expect } from 'vitest';
import type { Db } from '../../src/db/types.js';

export async function expectInvariants(db: Db): Promise<void> {
  const stockOff = await db.query(`select s.product_id from stock s
    left join (select product_id, sum(change_qty)::int as q from stock_movements group by product_id) m using (product_id)
    where s.qty_on_hand <> coalesce(m.q, 0)`);
  expect(stockOff, 'qty_on_hand = Σ movements').toEqual([]);
  const reservedOff = await db.query(`select s.product_id from stock s
    left join (select i.product_id, sum(i.quantity)::int as q from order_items i join orders o on o.id = i.order_id
               where o.status = 'confirmed' group by i.product_id) r using (product_id)
    where s.reserved_qty <> coalesce(r.q, 0) or s.reserved_qty > s.qty_on_hand`);
  expect(reservedOff, 'reserved = Σ confirmed order quantities ≤ on hand').toEqual([]);
  const totalsOff = await db.query(`select o.id from orders o left join order_items i on i.order_id = o.id
    group by o.id having o.total <> coalesce(sum(i.line_total), 0)`);
  expect(totalsOff, 'order total = Σ line totals').toEqual([]);
  const unbalanced = await db.query('select entry_id from ledger_lines group by entry_id having sum(debit) <> sum(credit) or sum(debit) = 0');
  expect(unbalanced, 'every journal entry balances').toEqual([]);
  const [valuation] = await db.query<{ ledger: string; stock: string }>(`select
    coalesce((select sum(debit - credit) from ledger_lines where account = '1200'), 0)::numeric(14,2)::text as ledger,
    coalesce((select sum(s.qty_on_hand * p.cost) from stock s join products p on p.id = s.product_id), 0)::numeric(14,2)::text as stock`);
  expect(valuation!.ledger, 'inventory account 1200 = stock valued at cost').toBe(valuation!.stock);
}
