// Receivables reports: who owes what and for how long (aging by days past the due date), and
// the statement of account a customer receives.
import type { Tx } from '../../db/types.js';
import { requireCustomer } from '../sales/customers.js';
import { today } from '../shared/clock.js';
import { invalid } from '../shared/errors.js';
import { formatMoney, money, parseMoney } from '../shared/money.js';

const BUCKETS = ['current', 'd1_30', 'd31_60', 'd61_90', 'over_90'] as const;
type Bucket = (typeof BUCKETS)[number];
const bucketOf = (daysLate: number): Bucket =>
  daysLate <= 0
    ? 'current'
    : daysLate <= 30
      ? 'd1_30'
      : daysLate <= 60
        ? 'd31_60'
        : daysLate <= 90
          ? 'd61_90'
          : 'over_90';
const zero = () => Object.fromEntries(BUCKETS.map((b) => [b, 0n])) as Record<Bucket, bigint>;
const format = (b: Record<Bucket, bigint>) =>
  Object.fromEntries(BUCKETS.map((k) => [k, formatMoney(b[k])])) as Record<Bucket, string>;

/** Open amounts of posted invoices issued by as_of, by days past due at as_of. */
export async function arAging(tx: Tx, asOf = today()) {
  const rows = await tx.query<{ customer_id: number; name: string; open_amount: string; days_late: number }>(
    `select b.customer_id, c.name, b.open_amount, ($1::date - b.due_date)::int as days_late
     from invoice_balances b join customers c on c.id = b.customer_id
     where b.status = 'posted' and b.open_amount > 0 and b.issue_date <= $1 order by c.name, b.invoice_id`,
    [asOf],
  );
  const totals = zero();
  const customers = new Map<number, { customer_id: number; name: string; buckets: Record<Bucket, bigint> }>();
  for (const r of rows) {
    const bucket = bucketOf(r.days_late);
    const amount = parseMoney(r.open_amount);
    totals[bucket] += amount;
    const c = customers.get(r.customer_id) ?? { customer_id: r.customer_id, name: r.name, buckets: zero() };
    c.buckets[bucket] += amount;
    customers.set(r.customer_id, c);
  }
  const total = BUCKETS.reduce((s, b) => s + totals[b], 0n);
  return {
    as_of: asOf,
    buckets: format(totals),
    total: formatMoney(total),
    customers: [...customers.values()].map((c) => ({
      customer_id: c.customer_id,
      name: c.name,
      ...format(c.buckets),
      total: formatMoney(BUCKETS.reduce((s, b) => s + c.buckets[b], 0n)),
    })),
  };
}

interface Line {
  date: string;
  kind: 'invoice' | 'credit_note' | 'payment';
  reference: string;
  amount: string;
}

/** Invoices add to the balance, credit notes and payments reduce it; a running balance per line. */
export async function customerStatement(tx: Tx, customerId: number, from?: string, to?: string) {
  const customer = await requireCustomer(tx, customerId);
  const end = to ?? today();
  const start = from ?? `${end.slice(0, 4)}-01-01`;
  if (start > end) throw invalid(`from ${start} is after to ${end}`);
  const movements = await tx.query<Line>(
    `select * from (
       select to_char(issue_date, 'YYYY-MM-DD') as date, kind, invoice_number as reference,
              (case when kind = 'credit_note' then -total_amount else total_amount end)::text as amount, id as seq
       from invoices where customer_id = $1 and status in ('posted', 'paid')
       union all
       select to_char(received_at, 'YYYY-MM-DD'), 'payment', coalesce(reference, method), (-amount)::text, 1000000000 + id
       from payments where customer_id = $1) m
     where m.date <= $2 order by m.date, m.seq`,
    [customerId, end],
  );
  let balance = movements.filter((m) => m.date < start).reduce((s, m) => s + parseMoney(m.amount), 0n);
  const opening = balance;
  const lines = movements
    .filter((m) => m.date >= start)
    .map((m) => {
      balance += parseMoney(m.amount);
      return {
        date: m.date,
        kind: m.kind,
        reference: m.reference,
        amount: money(m.amount),
        balance: formatMoney(balance),
      };
    });
  return {
    customer_id: customer.id,
    name: customer.name,
    from: start,
    to: end,
    opening_balance: formatMoney(opening),
    lines,
    closing_balance: formatMoney(balance),
  };
}
