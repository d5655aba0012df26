// A customer at a glance for a salesperson: the record, its remembered facts, open orders and what
// it still owes. Kept apart from customers.ts, which customer-memory.ts itself needs.
import type { Tx } from '../../db/types.js';
import { money } from '../shared/money.js';
import { getCustomerMemory, type CustomerFact } from './customer-memory.js';
import { requireCustomer, type Customer } from './customers.js';

export interface CustomerDetail extends Customer {
  memory: CustomerFact[];
  open_orders: { id: number; status: string; total: string; created_at: string }[];
  open_balance: string;
}

/** Open balance = what posted invoices still owe − payments and credit notes not yet applied. */
export async function openBalance(tx: Tx, customerId: number): Promise<string> {
  const [row] = await tx.query<{ balance: string }>(
    `select coalesce((select sum(open_amount) from invoice_balances where customer_id = $1 and status in ('posted', 'paid')), 0)
          - coalesce((select sum(unapplied) from unapplied_credits where customer_id = $1), 0) as balance`,
    [customerId],
  );
  return money(row?.balance);
}

export async function getCustomer(tx: Tx, id: number): Promise<CustomerDetail> {
  // Asked together: on PostgreSQL the four reads travel in one round trip.
  const [customer, openOrders, memory, balance] = await Promise.all([
    requireCustomer(tx, id),
    tx.query<{ id: number; status: string; total: string; created_at: string }>(
      `select id, status, total, created_at from orders
       where customer_id = $1 and status in ('draft', 'confirmed') order by id`,
      [id],
    ),
    getCustomerMemory(tx, id),
    openBalance(tx, id),
  ]);
  return {
    ...customer,
    memory,
    open_orders: openOrders.map((o) => ({ ...o, total: money(o.total) })),
    open_balance: balance,
  };
}
