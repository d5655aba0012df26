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
import { sent } from '../shared/sent.js';
import { ACCOUNTS } from './accounts.js';
import { refreshInvoiceStatuses } from './invoices.js';
import { balancedLines, entryCtes } from './ledger.js';
import { lockDateForPosting, requireOpenPeriod } from './periods.js';

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

/**
 * Locks the invoices matching `where` (id order) and reads the open amounts of exactly those,
 * oldest due first. Both are sent at once: the read starts once the locks are held, so it sees
 * every amount committed before them. A row it finds that the lock statement did not (posted
 * since that statement began) is not locked, and is left out.
 */
function lockOpenInvoices(tx: Tx, where: string, params: unknown[]): Promise<OpenInvoice[]> {
  const locked = tx.query<{ id: number }>(`select id from invoices i where ${where} order by id for update`, params);
  const open = tx.query<OpenInvoice>(
    `select invoice_id, customer_id, status, open_amount, invoice_number from invoice_balances
     where invoice_id in (select id from invoices i where ${where}) order by due_date, invoice_id`,
    params,
  );
  return sent(
    Promise.all([locked, open]).then(([rows, amounts]) => {
      const ids = new Set(rows.map((r) => r.id));
      return amounts.filter((a) => ids.has(a.invoice_id));
    }),
  );
}

/** What is left of a payment; sent after the payment's lock. */
function unappliedOf(tx: Tx, paymentId: number): Promise<Cents> {
  return sent(
    tx
      .query<{ unapplied: string }>(
        "select unapplied from unapplied_credits where source = 'payment' and source_id = $1",
        [paymentId],
      )
      .then(([credit]) => parseMoney(credit!.unapplied)),
  );
}

interface Allocation {
  invoice_id: number;
  amount: Cents;
}

/**
 * Writes the allocations and the invoices' new statuses. Sent, not awaited: nothing reads their
 * answer, they travel with the caller's next statement, and sql/008 re-checks them at commit.
 */
function applyToInvoices(tx: Tx, paymentId: number, allocations: Allocation[]): void {
  if (allocations.length === 0) return;
  void tx.query(
    `insert into payment_allocations (payment_id, invoice_id, amount)
     select $1, a.invoice_id, a.amount from unnest($2::int[], $3::numeric[]) with ordinality as a(invoice_id, amount, n) order by a.n`,
    [paymentId, allocations.map((a) => a.invoice_id), allocations.map((a) => formatMoney(a.amount))],
  );
  void refreshInvoiceStatuses(
    tx,
    allocations.map((a) => a.invoice_id),
  );
}

const lockExplicit = (tx: Tx, allocations: AllocationInput[]) =>
  lockOpenInvoices(tx, 'i.id = any($1::int[])', [allocations.map((a) => a.invoice_id)]);

/** Checks explicit allocations against the locked invoices and what the payment has available. */
function checkExplicit(
  paymentId: number,
  customerId: number,
  allocations: AllocationInput[],
  open: OpenInvoice[],
  available: Cents,
): Allocation[] {
  let left = available;
  return allocations.map((a) => {
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
    return { invoice_id: a.invoice_id, amount };
  });
}

const requireDistinct = (allocations: AllocationInput[]) => {
  if (new Set(allocations.map((a) => a.invoice_id)).size !== allocations.length)
    throw invalid('Each invoice may appear only once in allocations');
};

/** The customer's open invoices, oldest due first, take the money until it is used up. */
function oldestFirst(open: OpenInvoice[], available: Cents): Allocation[] {
  let left = available;
  const allocations: Allocation[] = [];
  for (const inv of open) {
    if (left === 0n) break;
    const amount = parseMoney(inv.open_amount);
    // Only what is really open: a negative open amount (an invoice over-applied before sql/008)
    // once added itself to what the payment had left.
    if (amount <= 0n) continue;
    const applied = amount < left ? amount : left;
    allocations.push({ invoice_id: inv.invoice_id, amount: applied });
    left -= applied;
  }
  return allocations;
}

// The payment, its journal entry (Dr 1000 Cash / Cr 1100 AR) and the entry's lines: one statement,
// sent before the checks are known. It writes nothing (and takes no id) for a customer that does
// not exist or a date on or before the lock date, which recordPayment refuses.
const INSERT_PAYMENT = `with payment as (
       insert into payments (customer_id, amount, method, received_at, reference)
       select $1, $2, $3, $4, $5
       where exists (select 1 from customers where id = $1)
         and not exists (select 1 from settings where key = 'lock_date' and value::date >= $4)
       returning id
     ), ${entryCtes({
       date: '$4',
       memo: "'Payment ' || (select id from payment) || ' (' || $3::text || ')'",
       source: "'payment'",
       sourceId: '(select id from payment)',
       createdBy: '$6',
       reverses: 'null',
       accounts: '$7',
       debits: '$8',
       credits: '$9',
       when: 'exists (select 1 from payment)',
     })}
     select payment.id, entry.id as entry_id from payment, entry`;

/** The amount received, checked once the customer is known to exist (that error comes first). */
async function amountReceived(customer: Promise<unknown>, value: string | number): Promise<Cents> {
  try {
    const amount = parseMoney(value, 'amount');
    if (amount <= 0n) throw invalid('amount must be positive');
    return amount;
  } catch (error) {
    await customer;
    throw error;
  }
}

export async function recordPayment(tx: Tx, input: RecordPaymentInput, userId: number | null): Promise<number> {
  // One round trip for every read and the payment's insert; the checks keep their order.
  const customer = sent(requireCustomer(tx, input.customer_id));
  const lockDate = lockDateForPosting(tx);
  const amount = await amountReceived(customer, input.amount);
  const date = input.received_at ?? today();
  const inserted = sent(
    tx.query<{ id: number; entry_id: number }>(INSERT_PAYMENT, [
      input.customer_id,
      formatMoney(amount),
      input.method,
      date,
      input.reference ?? null,
      userId,
      ...balancedLines([
        { account: ACCOUNTS.cash, debit: amount },
        { account: ACCOUNTS.accountsReceivable, credit: amount },
      ]),
    ]),
  );
  const open = input.allocations
    ? lockExplicit(tx, input.allocations)
    : lockOpenInvoices(tx, "i.customer_id = $1 and i.kind = 'invoice' and i.status = 'posted'", [input.customer_id]);
  await customer;
  requireOpenPeriod(await lockDate, date, 'The payment');
  const [row] = await inserted;
  // None only if the lock date was first set since it was read: refused with the date now in force.
  if (!row) requireOpenPeriod(await lockDateForPosting(tx), date, 'The payment');
  const { id, entry_id } = row!;
  if (input.allocations) requireDistinct(input.allocations);
  // A new payment has all of its amount available.
  const allocations = input.allocations
    ? checkExplicit(id, input.customer_id, input.allocations, await open, amount)
    : oldestFirst(await open, amount);
  void tx.query('update payments set ledger_entry_id = $2 where id = $1', [id, entry_id]);
  applyToInvoices(tx, id, allocations);
  return id;
}

/** Applies unapplied money of a payment to one invoice: the payment is locked, then the invoice. */
export async function allocatePayment(
  tx: Tx,
  paymentId: number,
  invoiceId: number,
  amount: string | number,
): Promise<void> {
  const locked = sent(
    tx.query<{ customer_id: number }>('select customer_id from payments where id = $1 for update', [paymentId]),
  );
  const allocations = [{ invoice_id: invoiceId, amount }];
  const open = lockExplicit(tx, allocations);
  const available = unappliedOf(tx, paymentId);
  const [payment] = await locked;
  if (!payment) throw notFound('Payment', paymentId);
  applyToInvoices(
    tx,
    paymentId,
    checkExplicit(paymentId, payment.customer_id, allocations, await open, await available),
  );
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

/**
 * A payment with what is left of it and each invoice it went to. The balances are scalar
 * subqueries filtered by one id, so every plan (a prepared statement's generic one included, and
 * before the table's statistics catch up) reaches them by index; joined, the views were summed
 * for every invoice and payment first.
 */
const PAYMENT = `select p.id, p.customer_id, c.name as customer_name, p.amount, p.method, p.received_at, p.reference,
    (select u.unapplied from unapplied_credits u where u.source = 'payment' and u.source_id = p.id) as unapplied,
    coalesce((select json_agg(json_build_object('invoice_id', a.invoice_id,
                'invoice_number', (select i.invoice_number from invoices i where i.id = a.invoice_id), 'amount', a.amount::text,
                'invoice_open', coalesce((select b.open_amount from invoice_balances b where b.invoice_id = a.invoice_id), 0)::text) order by a.id)
              from payment_allocations a where a.payment_id = p.id), '[]'::json) as allocations
  from payments p join customers c on c.id = p.customer_id`;

const toPayment = (r: PaymentRow): PaymentRow => ({
  ...r,
  amount: money(r.amount),
  unapplied: money(r.unapplied),
  allocations: r.allocations.map((a) => ({ ...a, amount: money(a.amount), invoice_open: money(a.invoice_open) })),
});

export async function getPayment(tx: Tx, id: number): Promise<PaymentRow> {
  const [row] = await tx.query<PaymentRow>(`${PAYMENT} where p.id = $1`, [id]);
  if (!row) throw notFound('Payment', id);
  return toPayment(row);
}

export async function listPayments(
  tx: Tx,
  input: { customer_id?: number; limit: number; cursor?: string },
): Promise<Page<PaymentRow>> {
  const before = decodeCursor(input.cursor, ['number']);
  const rows = await tx.query<PaymentRow>(
    `${PAYMENT}
     where ($1::int is null or p.customer_id = $1) and ($2::int is null or p.id < $2)
     order by p.id desc limit $3`,
    [input.customer_id ?? null, before?.[0] ?? null, input.limit + 1],
  );
  return toPage(rows, input.limit, (r) => [r.id], toPayment);
}
