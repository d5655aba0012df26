// Payments received: Dr 1000 Cash / Cr 1100 AR, then applied to invoices — explicitly, or oldest
// due first — never beyond the payment or the invoice's open amount; the rest stays as credit.
// Lock order, the same on every money path so concurrent calls queue instead of deadlocking: the
// payment, then invoices by id. Amounts are read only for rows already locked: under READ
// COMMITTED each statement sees whatever committed before it began, so an open amount read for
// an invoice someone else may be paying is stale by the time it is used (issue 14).
// sql/008 re-checks every allocation at commit.
import type { Tx } from '../../db/types.js';
import { requireCustomer } from '../sales/customers.js';
import { today } from '../shared/clock.js';
import { conflict, invalid, notFound } from '../shared/errors.js';
import { formatMoney, money, parseMoney, type Cents } from '../shared/money.js';
import { decodeCursor, toPage, type Page } from '../shared/pagination.js';
import { ACCOUNTS } from './accounts.js';
import { refreshInvoiceStatus } from './invoices.js';
import { postEntry } from './ledger.js';
import { assertOpenPeriod } from './periods.js';

export interface AllocationInput {
  invoice_id: number;
  amount: string | number;
}

export interface RecordPaymentInput {
  customer_id: number;
  amount: string | number;
  method: string;
  received_at?: string;
  reference?: string;
  allocations?: AllocationInput[];
}

interface OpenInvoice {
  invoice_id: number;
  customer_id: number;
  status: string;
  open_amount: string;
  invoice_number: string | null;
}

/** Locks the invoices (id order) and returns the open amounts of exactly those, oldest due first. */
async function lockOpenInvoices(tx: Tx, where: string, params: unknown[]): Promise<OpenInvoice[]> {
  const locked = await tx.query<{ id: number }>(
    `select id from invoices i where ${where} order by id for update`,
    params,
  );
  // Not the same filter again: an invoice posted after the lock statement's snapshot would match
  // it, unlocked, while another call is paying or crediting it.
  return tx.query<OpenInvoice>(
    `select invoice_id, customer_id, status, open_amount, invoice_number from invoice_balances
     where invoice_id = any($1::int[]) order by due_date, invoice_id`,
    [locked.map((r) => r.id)],
  );
}

/** What is left of a payment; the payment is locked, or new in this transaction. */
async function unappliedOf(tx: Tx, paymentId: number): Promise<Cents> {
  const [credit] = await tx.query<{ unapplied: string }>(
    "select unapplied from unapplied_credits where source = 'payment' and source_id = $1",
    [paymentId],
  );
  return parseMoney(credit!.unapplied);
}

async function applyToInvoice(tx: Tx, paymentId: number, invoiceId: number, amount: Cents): Promise<void> {
  await tx.query('insert into payment_allocations (payment_id, invoice_id, amount) values ($1, $2, $3)', [
    paymentId,
    invoiceId,
    formatMoney(amount),
  ]);
  await refreshInvoiceStatus(tx, invoiceId);
}

async function allocateExplicit(
  tx: Tx,
  paymentId: number,
  customerId: number,
  allocations: AllocationInput[],
): Promise<void> {
  const ids = allocations.map((a) => a.invoice_id);
  if (new Set(ids).size !== ids.length) throw invalid('Each invoice may appear only once in allocations');
  const open = await lockOpenInvoices(tx, 'i.id = any($1::int[])', [ids]);
  const available = await unappliedOf(tx, paymentId);
  let left = available;
  for (const a of allocations) {
    const inv = open.find((o) => o.invoice_id === a.invoice_id);
    if (!inv) throw notFound('Invoice', a.invoice_id);
    if (inv.customer_id !== customerId)
      throw conflict(`Invoice ${a.invoice_id} belongs to customer ${inv.customer_id}, not ${customerId}`);
    if (inv.status !== 'posted')
      throw conflict(`Invoice ${a.invoice_id} is ${inv.status}; only posted, unpaid invoices take payments`);
    const amount = parseMoney(a.amount, 'allocation amount');
    if (amount <= 0n) throw invalid('Allocation amounts must be positive');
    if (amount > parseMoney(inv.open_amount))
      throw conflict(
        `Invoice ${inv.invoice_number} has only ${money(inv.open_amount)} open; cannot apply ${formatMoney(amount)}`,
      );
    if (amount > left)
      throw conflict(`Allocations exceed the ${formatMoney(available)} available on payment ${paymentId}`);
    left -= amount;
    await applyToInvoice(tx, paymentId, a.invoice_id, amount);
  }
}

async function allocateOldestFirst(tx: Tx, paymentId: number, customerId: number, available: Cents): Promise<void> {
  let left = available;
  for (const inv of await lockOpenInvoices(tx, "i.customer_id = $1 and i.kind = 'invoice' and i.status = 'posted'", [
    customerId,
  ])) {
    if (left === 0n) break;
    const open = parseMoney(inv.open_amount);
    // Only what is really open: a negative open amount (an invoice over-applied before sql/008)
    // once added itself to what the payment had left.
    if (open <= 0n) continue;
    const amount = open < left ? open : left;
    await applyToInvoice(tx, paymentId, inv.invoice_id, amount);
    left -= amount;
  }
}

export async function recordPayment(tx: Tx, input: RecordPaymentInput, userId: number | null): Promise<number> {
  await requireCustomer(tx, input.customer_id);
  const amount = parseMoney(input.amount, 'amount');
  if (amount <= 0n) throw invalid('amount must be positive');
  const date = input.received_at ?? today();
  await assertOpenPeriod(tx, date, 'The payment');
  const [row] = await tx.query<{ id: number }>(
    'insert into payments (customer_id, amount, method, received_at, reference) values ($1, $2, $3, $4, $5) returning id',
    [input.customer_id, formatMoney(amount), input.method, date, input.reference ?? null],
  );
  const id = row!.id;
  const entry = await postEntry(tx, {
    entry_date: date,
    memo: `Payment ${id} (${input.method})`,
    source: 'payment',
    source_id: id,
    created_by: userId,
    lines: [
      { account: ACCOUNTS.cash, debit: amount },
      { account: ACCOUNTS.accountsReceivable, credit: amount },
    ],
  });
  await tx.query('update payments set ledger_entry_id = $2 where id = $1', [id, entry]);
  if (input.allocations) await allocateExplicit(tx, id, input.customer_id, input.allocations);
  else await allocateOldestFirst(tx, id, input.customer_id, amount);
  return id;
}

/** Applies unapplied money of a payment to one invoice: the payment is locked, then the invoice. */
export async function allocatePayment(
  tx: Tx,
  paymentId: number,
  invoiceId: number,
  amount: string | number,
): Promise<void> {
  const [payment] = await tx.query<{ customer_id: number }>(
    'select customer_id from payments where id = $1 for update',
    [paymentId],
  );
  if (!payment) throw notFound('Payment', paymentId);
  await allocateExplicit(tx, paymentId, payment.customer_id, [{ invoice_id: invoiceId, amount }]);
}

export interface PaymentRow {
  id: number;
  customer_id: number;
  customer_name: string;
  amount: string;
  method: string;
  received_at: string;
  reference: string | null;
  unapplied: string;
  /** Each invoice the payment went to, with its number and what is still open on it now. */
  allocations: { invoice_id: number; invoice_number: string | null; amount: string; invoice_open: string }[];
}

export async function getPayment(tx: Tx, id: number): Promise<PaymentRow> {
  const page = await listPayments(tx, { payment_id: id, limit: 1 });
  if (!page.items[0]) throw notFound('Payment', id);
  return page.items[0];
}

export async function listPayments(
  tx: Tx,
  input: { customer_id?: number; payment_id?: number; limit: number; cursor?: string },
): Promise<Page<PaymentRow>> {
  const before = decodeCursor(input.cursor, ['number']);
  const rows = await tx.query<PaymentRow>(
    `select p.id, p.customer_id, c.name as customer_name, p.amount, p.method, p.received_at, p.reference, u.unapplied,
       coalesce((select json_agg(json_build_object('invoice_id', a.invoice_id, 'invoice_number', i.invoice_number, 'amount', a.amount::text,
                   'invoice_open', coalesce(b.open_amount, 0)::text) order by a.id)
                 from payment_allocations a join invoices i on i.id = a.invoice_id left join invoice_balances b on b.invoice_id = a.invoice_id
                 where a.payment_id = p.id), '[]'::json) as allocations
     from payments p join customers c on c.id = p.customer_id
     join unapplied_credits u on u.source = 'payment' and u.source_id = p.id
     where ($1::int is null or p.customer_id = $1) and ($2::int is null or p.id = $2) and ($3::int is null or p.id < $3)
     order by p.id desc limit $4`,
    [input.customer_id ?? null, input.payment_id ?? null, before?.[0] ?? null, input.limit + 1],
  );
  return toPage(
    rows,
    input.limit,
    (r) => [r.id],
    (r) => ({
      ...r,
      amount: money(r.amount),
      unapplied: money(r.unapplied),
      allocations: r.allocations.map((a) => ({ ...a, amount: money(a.amount), invoice_open: money(a.invoice_open) })),
    }),
  );
}
