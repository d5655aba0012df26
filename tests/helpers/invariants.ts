// The book- and stock-keeping invariants every test sequence must leave intact.
import { expect } from 'vitest';
import type { Db } from '../../src/db/types.js';
import { checkBooks } from '../../src/domain/finance/checks.js';

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
  const unbalanced = await db.query(
    'select entry_id from ledger_lines group by entry_id having sum(debit) <> sum(credit) or sum(debit) = 0',
  );
  expect(unbalanced, 'every journal entry balances').toEqual([]);
  const [valuation] = await db.query<{ ledger: string; stock: string }>(`select
    coalesce((select sum(debit - credit) from ledger_lines where account = '1200'), 0)::numeric(14,2)::text as ledger,
    coalesce((select sum(s.qty_on_hand * p.cost) from stock s join products p on p.id = s.product_id), 0)::numeric(14,2)::text as stock`);
  expect(valuation!.ledger, 'inventory account 1200 = stock valued at cost').toBe(valuation!.stock);
  const [ar] = await db.query<{ ledger: string; documents: string }>(`select
    coalesce((select sum(debit - credit) from ledger_lines where account = '1100'), 0)::numeric(14,2)::text as ledger,
    (coalesce((select sum(open_amount) from invoice_balances where status in ('posted', 'paid')), 0)
      - coalesce((select sum(unapplied) from unapplied_credits), 0))::numeric(14,2)::text as documents`);
  expect(ar!.ledger, 'AR account 1100 = open invoices − unapplied credit').toBe(ar!.documents);
  const overApplied = await db.query(`select invoice_id from invoice_balances where open_amount < 0
    union all select source_id from unapplied_credits where unapplied < 0`);
  expect(overApplied, 'no invoice, payment or credit note is over-applied').toEqual([]);
  const statusOff = await db.query(`select invoice_id from invoice_balances
    where (status = 'paid') <> (status in ('posted', 'paid') and open_amount = 0)`);
  expect(statusOff, 'paid exactly when fully settled').toEqual([]);
  const books = await db.transaction((tx) => checkBooks(tx));
  expect(
    books.checks.filter((c) => !c.ok),
    'check_books passes',
  ).toEqual([]);
}
