// A customer at a glance for a salesperson: the record, its remembered facts, open orders and what
// it still owes. Kept apart from customers.ts, which customer-memory.ts itself needs.
import type { Tx } from '../../db/types.js';
import { readDetail } from '../shared/detail.js';
import type { CustomerFact } from './customer-memory.js';
import type { Customer } from './customers.js';

export interface CustomerDetail extends Customer {
  memory: CustomerFact[];
  open_orders: { id: number; status: string; total: string; created_at: string }[];
  open_balance: string;
}

/** Open balance = what posted invoices still owe − payments and credit notes not yet applied. */
const OPEN_BALANCE = `coalesce((select sum(open_amount) from invoice_balances where customer_id = $1 and status in ('posted', 'paid')), 0)
  - coalesce((select sum(unapplied) from unapplied_credits where customer_id = $1), 0)`;

/**
 * The customer at a glance as one SQL expression of $1, the customer's id: a json document in the
 * shape of CustomerDetail, or null when there is no such customer. get_customer answers with it
 * in one statement together with its audit row (sql/019); getCustomer reads the same.
 */
export const CUSTOMER_DETAIL = `(select json_build_object(
    'id', c.id, 'name', c.name, 'email', c.email, 'phone', c.phone,
    'created_at', erp_json_time(c.created_at), 'updated_at', erp_json_time(c.updated_at),
    'memory', coalesce((select json_agg(json_build_object('key', k.key, 'value', k.value,
        'updated_at', erp_json_time(k.updated_at)) order by k.key)
      from customer_kv k where k.customer_id = c.id), '[]'),
    'open_orders', coalesce((select json_agg(json_build_object('id', o.id, 'status', o.status, 'total', o.total::text,
        'created_at', erp_json_time(o.created_at)) order by o.id)
      from orders o where o.customer_id = c.id and o.status in ('draft', 'confirmed')), '[]'),
    'open_balance', (${OPEN_BALANCE})::numeric(14, 2)::text)
  from customers c where c.id = $1)`;

export function getCustomer(tx: Tx, id: number): Promise<CustomerDetail> {
  return readDetail(tx, CUSTOMER_DETAIL, 'Customer', id);
}
