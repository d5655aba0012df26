// The demo company's billing: most shipped orders invoiced on the shipping day (8.25 % sales tax),
// most invoices paid 10–45 days later, some partly, and a handful left overdue.
import type { Tx } from '../db/types.js';
import { createInvoice, postInvoice } from '../domain/finance/invoices.js';
import { recordPayment } from '../domain/finance/payments.js';
import { addDays, today } from '../domain/shared/clock.js';
import { formatMoney, parseMoney } from '../domain/shared/money.js';
import { prng } from './activity.js';

const METHODS = ['bank transfer', 'bank transfer', 'card', 'cheque'];

export async function seedBilling(tx: Tx, userId: number): Promise<void> {
  const rand = prng(4_100_100);
  const todayDate = today();
  const shipped = await tx.query<{ id: number; customer_id: number; shipped: string }>(
    `select id, customer_id, to_char(fulfilled_at, 'YYYY-MM-DD') as shipped from orders where status = 'fulfilled' order by fulfilled_at, id`,
  );
  for (const order of shipped) {
    if (rand() < 0.08) continue; // not yet invoiced: something for invoice_orders to find
    const invoiceId = await createInvoice(tx, {
      customer_id: order.customer_id,
      order_ids: [order.id],
      issue_date: order.shipped,
      tax_rate: '0.0825',
    });
    await tx.query('update invoices set created_at = $2 where id = $1', [invoiceId, `${order.shipped}T16:00:00Z`]);
    await postInvoice(tx, invoiceId, userId);
    const paidOn = addDays(order.shipped, 10 + Math.floor(rand() * 36));
    const r = rand();
    if (paidOn >= todayDate || r < 0.1) continue; // unpaid: overdue once its due date passes
    const [inv] = await tx.query<{ total_amount: string }>('select total_amount from invoices where id = $1', [
      invoiceId,
    ]);
    const amount = r < 0.2 ? formatMoney(parseMoney(inv!.total_amount) / 2n) : inv!.total_amount;
    await recordPayment(
      tx,
      {
        customer_id: order.customer_id,
        amount,
        method: METHODS[Math.floor(rand() * METHODS.length)]!,
        received_at: paidOn,
        reference: `Remittance for order ${order.id}`,
        allocations: [{ invoice_id: invoiceId, amount }],
      },
      userId,
    );
  }
}
