// Invoices: drafts built from lines or from orders, posted with a gapless number and a journal
// entry (Dr 1100 / Cr 4000, Cr 2100 for tax), immutable afterwards; drafts may be voided.
// How lines are priced and written: invoice-lines.ts.
import type { Tx } from '../../db/types.js';
import { requireCustomer } from '../sales/customers.js';
import type { OrderLine } from '../sales/order-queries.js';
import { addDays, today } from '../shared/clock.js';
import { conflict, invalid, notFound } from '../shared/errors.js';
import { sent } from '../shared/sent.js';
import { formatFraction, formatMoney, parseFraction, parseMoney } from '../shared/money.js';
import { ACCOUNTS } from './accounts.js';
import { getInvoice, toInvoice, type Invoice } from './invoice-queries.js';
import {
  lineParams,
  linesFromInput,
  linesInsert,
  priceLine,
  sumLines,
  type InvoiceLineRow,
  type LineInput,
} from './invoice-lines.js';
import { nextNumberCte } from './numbering.js';
import { lockDateForPosting, requireOpenPeriod } from './periods.js';

export { parseQuantity, priceLine, type InvoiceLineRow, type LineInput } from './invoice-lines.js';

export interface CreateInvoiceInput {
  customer_id: number;
  order_ids?: number[];
  lines?: LineInput[];
  issue_date?: string;
  due_date?: string;
  tax_rate?: number | string;
}

interface OrderToInvoice {
  id: number;
  customer_id: number;
  status: string;
  invoice_id: number | null;
}

/** An order's line as it is read to be invoiced: the order's own line shape, with its order. */
type OrderItemToInvoice = Omit<OrderLine, 'id' | 'line_total'> & { order_id: number };

/**
 * Locks the orders (id order) and reads their items, sent at once: the items are read by a
 * statement that starts once the locks are held.
 */
function readOrders(tx: Tx, orderIds: number[]) {
  return {
    orders: sent(
      tx.query<OrderToInvoice>(
        `select o.id, o.customer_id, o.status, io.invoice_id from orders o left join invoice_orders io on io.order_id = o.id
         where o.id = any($1::int[]) order by o.id for update of o`,
        [orderIds],
      ),
    ),
    items: sent(
      tx.query<OrderItemToInvoice>(
        `select i.order_id, i.product_id, p.sku, p.name, i.quantity, i.price, i.discount::text as discount
         from order_items i join products p on p.id = i.product_id where i.order_id = any($1::int[]) order by i.order_id, i.id`,
        [orderIds],
      ),
    ),
  };
}

async function linesFromOrders(
  read: ReturnType<typeof readOrders>,
  customerId: number,
  orderIds: number[],
  rate: bigint,
): Promise<InvoiceLineRow[]> {
  const orders = await read.orders;
  for (const id of orderIds) {
    const o = orders.find((r) => r.id === id);
    if (!o) throw notFound('Order', id);
    if (o.customer_id !== customerId)
      throw conflict(`Order ${id} belongs to customer ${o.customer_id}, not ${customerId}`);
    if (o.status !== 'confirmed' && o.status !== 'fulfilled')
      throw conflict(`Order ${id} is ${o.status}; only confirmed or fulfilled orders can be invoiced`);
    if (o.invoice_id !== null) throw conflict(`Order ${id} is already on invoice ${o.invoice_id}`);
  }
  return (await read.items).map((i) => {
    const discount = parseFraction(i.discount, 'discount');
    const priced = priceLine(BigInt(i.quantity) * 1000n, parseMoney(i.price), discount, rate);
    return {
      description: `${i.sku} ${i.name} (order ${i.order_id})`,
      quantity: `${i.quantity}.000`,
      unit_price: i.price,
      discount: formatFraction(discount),
      line_total: formatMoney(priced.total),
      tax_amount: formatMoney(priced.tax),
      order_id: i.order_id,
      product_id: i.product_id,
    };
  });
}

// The invoice, its lines and the orders it bills: one statement, all or nothing, returning the
// invoice as getInvoice shows it. A new draft has no number, nothing paid, credited or open, and
// is not overdue, so nothing else needs reading back.
const INSERT_INVOICE = `with invoice as (
       insert into invoices (customer_id, issue_date, due_date, subtotal, tax_rate, tax_amount, total_amount)
       values ($1, $2, $3, $4, $5, $6, $7)
       returning id, kind, invoice_number, customer_id, status, issue_date, due_date, subtotal, tax_rate, tax_amount,
         total_amount, credited_invoice_id, reason
     ), lines as (
       ${linesInsert('(select id from invoice)', 8)}
       returning id, description, quantity, unit_price, discount, line_total, tax_amount, order_id, product_id
     ), billed as (
       insert into invoice_orders (invoice_id, order_id) select invoice.id, unnest($16::int[]) from invoice
       returning order_id
     )
     select i.id, i.kind, i.invoice_number, i.customer_id, c.name as customer_name, i.status, i.issue_date, i.due_date,
       i.subtotal, i.tax_rate::text as tax_rate, i.tax_amount, i.total_amount, 0::numeric as paid, 0::numeric as credited,
       0::numeric as open_amount, false as overdue, i.credited_invoice_id, i.reason,
       coalesce((select array_agg(order_id order by order_id) from billed), '{}') as order_ids,
       (select json_agg(json_build_object('description', l.description, 'quantity', l.quantity::text,
          'unit_price', l.unit_price::text, 'discount', l.discount::text, 'line_total', l.line_total::text,
          'tax_amount', l.tax_amount::text, 'order_id', l.order_id, 'product_id', l.product_id) order by l.id)
        from lines l) as lines,
       '[]'::json as applied
     from invoice i join customers c on c.id = i.customer_id`;

/** Creates a draft invoice and returns it as getInvoice would: its reads in one round trip, its writes in the next. */
export async function draftInvoice(tx: Tx, input: CreateInvoiceInput): Promise<Invoice> {
  if ((input.order_ids === undefined) === (input.lines === undefined))
    throw invalid('Pass exactly one of order_ids or lines');
  const orderIds = input.order_ids ? [...new Set(input.order_ids)] : [];
  // Sent together: the customer, and the orders (locked) with their items; checked in that order.
  const customer = sent(requireCustomer(tx, input.customer_id));
  const read = input.order_ids ? readOrders(tx, orderIds) : null;
  await customer;
  const rate = parseFraction(input.tax_rate, 'tax_rate');
  const issue = input.issue_date ?? today();
  const due = input.due_date ?? addDays(issue, 30);
  if (due < issue) throw invalid(`due_date ${due} is before issue_date ${issue}`);
  const lines = read
    ? await linesFromOrders(read, input.customer_id, orderIds, rate)
    : linesFromInput(input.lines!, rate);
  const { subtotal, tax, total } = sumLines(lines);
  const [row] = await tx.query<Invoice>(INSERT_INVOICE, [
    input.customer_id,
    issue,
    due,
    formatMoney(subtotal),
    formatFraction(rate),
    formatMoney(tax),
    formatMoney(total),
    ...lineParams(lines),
    orderIds,
  ]);
  return toInvoice(row!);
}

export async function createInvoice(tx: Tx, input: CreateInvoiceInput): Promise<number> {
  return (await draftInvoice(tx, input)).id;
}

interface LockedInvoice {
  id: number;
  status: string;
  kind: string;
  customer_id: number;
  issue_date: string;
  subtotal: string;
  tax_amount: string;
  total_amount: string;
  invoice_number: string | null;
}

export function lockInvoice(tx: Tx, id: number): Promise<LockedInvoice> {
  return sent(
    tx
      .query<LockedInvoice>(
        'select id, status, kind, customer_id, issue_date, subtotal, tax_amount, total_amount, invoice_number from invoices where id = $1 for update',
        [id],
      )
      .then(([row]) => {
        if (!row) throw notFound('Invoice', id);
        return row;
      }),
  );
}

// The number, the entry (Dr 1100 total / Cr 4000 subtotal / Cr 2100 tax) and its lines, and the
// invoice's update: one statement, sent with the invoice's lock before its checks are known, so a
// posting takes one round trip and the commit, and the number series is locked only in the last
// one. It posts nothing unless the invoice is a draft with a total, dated after the lock date:
// what postInvoice refuses (and rolls back) is what it skips.
const POST_INVOICE = `with inv as (
       select id, issue_date, subtotal, tax_amount, total_amount from invoices
       where id = $1 and status = 'draft' and total_amount <> 0
         and not exists (select 1 from settings where key = 'lock_date' and issue_date::text <= value)
     ), ${nextNumberCte("'INV'", 'extract(year from inv.issue_date)::int', 'inv')}, entry as (
       insert into ledger_entries (entry_date, memo, source, source_id, created_by)
       select inv.issue_date, 'Invoice ' || number.document_number, 'invoice', inv.id, $2 from inv, number returning id
     ), entry_lines as (
       insert into ledger_lines (entry_id, account, debit, credit)
       select entry.id, l.account, l.debit, l.credit
       from entry, inv, lateral (values (1, $3, inv.total_amount, 0), (2, $4, 0, inv.subtotal), (3, $5, 0, inv.tax_amount))
         as l(n, account, debit, credit)
       where l.debit > 0 or l.credit > 0 order by l.n
     )
     update invoices set status = 'posted', invoice_number = (select document_number from number),
       ledger_entry_id = (select id from entry), posted_at = now()
     from inv where invoices.id = inv.id`;

/**
 * Posts a draft invoice: checks it (under its row lock), then sends the posting without waiting
 * for it, so that the invoice series' row is locked from the call's last statements to its commit
 * (post_invoice's answer and audit row travel with them: the gate sends INVOICE_DETAIL and the
 * commit behind it). Gapless numbering holds that lock until the commit is on disk.
 */
export async function sendPostInvoice(tx: Tx, id: number, userId: number | null): Promise<void> {
  const locked = lockInvoice(tx, id);
  const lockDate = lockDateForPosting(tx);
  const inv = await locked;
  if (inv.status !== 'draft')
    throw conflict(
      `Invoice ${id} is ${inv.status}${inv.invoice_number ? ` as ${inv.invoice_number}` : ''}; only drafts can be posted`,
    );
  if (parseMoney(inv.total_amount) === 0n) throw invalid(`Invoice ${id} has nothing to post: its total is 0.00`);
  requireOpenPeriod(await lockDate, inv.issue_date, `Invoice ${id}`);
  void tx.query(POST_INVOICE, [
    id,
    userId,
    ACCOUNTS.accountsReceivable,
    ACCOUNTS.salesRevenue,
    ACCOUNTS.salesTaxPayable,
  ]);
}

/** Posts a draft invoice and returns it posted. */
export async function postInvoice(tx: Tx, id: number, userId: number | null): Promise<Invoice> {
  await sendPostInvoice(tx, id, userId);
  return getInvoice(tx, id);
}

export async function voidInvoice(tx: Tx, id: number): Promise<void> {
  const inv = await lockInvoice(tx, id);
  if (inv.status !== 'draft')
    throw conflict(
      `Invoice ${id} is ${inv.status}; only drafts can be voided — correct a posted invoice with a credit note`,
    );
  await tx.query('delete from invoice_orders where invoice_id = $1', [id]);
  await tx.query("update invoices set status = 'void' where id = $1", [id]);
}

/** Sets paid/posted from the invoices' open amounts after money was applied to them. */
export function refreshInvoiceStatuses(tx: Tx, ids: number[]): Promise<unknown> {
  return tx.query(
    `update invoices i set status = case when b.open_amount = 0 then 'paid' else 'posted' end
     from invoice_balances b where b.invoice_id = i.id and i.id = any($1::int[]) and i.status in ('posted', 'paid')`,
    [ids],
  );
}

export async function refreshInvoiceStatus(tx: Tx, id: number): Promise<void> {
  await refreshInvoiceStatuses(tx, [id]);
}
