// Reading invoices and credit notes, with open amounts and the derived "overdue" flag.
import type { InvoiceLineRow } from './invoice-lines.js';
import type { Tx } from '../../db/types.js';
import { today } from '../shared/clock.js';
import { readDetail } from '../shared/detail.js';
import { money } from '../shared/money.js';
import { decodeCursor, toPage, type Page } from '../shared/pagination.js';

export const INVOICE_STATUSES = ['draft', 'posted', 'paid', 'void'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export interface InvoiceSummary {
  id: number;
  kind: 'invoice' | 'credit_note';
  invoice_number: string | null;
  customer_id: number;
  customer_name: string;
  status: InvoiceStatus;
  issue_date: string;
  due_date: string;
  subtotal: string;
  tax_rate: string;
  tax_amount: string;
  total_amount: string;
  paid: string;
  credited: string;
  open_amount: string;
  overdue: boolean;
  credited_invoice_id: number | null;
  reason: string | null;
  order_ids: number[];
}

/** What settled part of a document: payments and credit notes on an invoice, invoices a credit note went to. */
export interface Application {
  kind: 'payment' | 'credit_note' | 'invoice';
  id: number;
  reference: string | null;
  date: string;
  amount: string;
}

export interface Invoice extends InvoiceSummary {
  lines: InvoiceLineRow[];
  applied: Application[];
}

/** What was applied to invoice $1, or where credit note $1 went: rows of Application, unordered. */
const APPLIED = `select 'payment' as kind, p.id, coalesce(p.reference, p.method) as reference, p.received_at::text as date, a.amount
      from payment_allocations a join payments p on p.id = a.payment_id where a.invoice_id = $1
    union all
    select 'credit_note', c.id, c.invoice_number, c.issue_date::text, a.amount
      from credit_allocations a join invoices c on c.id = a.credit_note_id where a.invoice_id = $1
    union all
    select 'invoice', i.id, i.invoice_number, a.created_at::date::text, a.amount
      from credit_allocations a join invoices i on i.id = a.invoice_id where a.credit_note_id = $1`;

/** The summary query; `todayParam` names the parameter holding today (the clock's, not the database's). */
const summary = (
  todayParam: string,
) => `select i.id, i.kind, i.invoice_number, i.customer_id, c.name as customer_name, i.status, i.issue_date, i.due_date,
    i.subtotal, i.tax_rate::text as tax_rate, i.tax_amount, i.total_amount,
    coalesce(b.paid, 0) as paid, coalesce(b.credited, 0) as credited,
    case when i.kind = 'credit_note' then coalesce(u.unapplied, 0) when i.status in ('posted', 'paid') then b.open_amount else 0 end as open_amount,
    (i.kind = 'invoice' and i.status = 'posted' and b.open_amount > 0 and i.due_date < ${todayParam}::date) as overdue,
    i.credited_invoice_id, i.reason,
    coalesce((select array_agg(io.order_id order by io.order_id) from invoice_orders io where io.invoice_id = i.id), '{}') as order_ids
  from invoices i join customers c on c.id = i.customer_id
  left join invoice_balances b on b.invoice_id = i.id
  left join unapplied_credits u on u.source = 'credit_note' and u.source_id = i.id`;

const toSummary = (r: InvoiceSummary): InvoiceSummary => ({
  ...r,
  subtotal: money(r.subtotal),
  tax_amount: money(r.tax_amount),
  total_amount: money(r.total_amount),
  paid: money(r.paid),
  credited: money(r.credited),
  open_amount: money(r.open_amount),
});

/**
 * One invoice or credit note with its lines and applications as one SQL expression of $1 (its id)
 * and $2 (today, the clock's): a json document in the shape of Invoice, or null when there is no
 * such invoice. The same columns as the summary query, amounts as shown to clients.
 */
export const INVOICE_DETAIL = `(select json_build_object(
    'id', s.id, 'kind', s.kind, 'invoice_number', s.invoice_number, 'customer_id', s.customer_id,
    'customer_name', s.customer_name, 'status', s.status, 'issue_date', s.issue_date::text, 'due_date', s.due_date::text,
    'subtotal', s.subtotal::text, 'tax_rate', s.tax_rate, 'tax_amount', s.tax_amount::text,
    'total_amount', s.total_amount::text, 'paid', s.paid::numeric(14, 2)::text,
    'credited', s.credited::numeric(14, 2)::text, 'open_amount', s.open_amount::numeric(14, 2)::text,
    'overdue', coalesce(s.overdue, false), 'credited_invoice_id', s.credited_invoice_id, 'reason', s.reason,
    'order_ids', to_json(s.order_ids),
    'lines', coalesce((select json_agg(json_build_object('description', l.description, 'quantity', l.quantity::text,
        'unit_price', l.unit_price::text, 'discount', l.discount::text, 'line_total', l.line_total::text,
        'tax_amount', l.tax_amount::text, 'order_id', l.order_id, 'product_id', l.product_id) order by l.id)
      from invoice_lines l where l.invoice_id = s.id), '[]'),
    'applied', coalesce((select json_agg(json_build_object('kind', a.kind, 'id', a.id, 'reference', a.reference,
        'date', a.date, 'amount', a.amount::text) order by a.date, a.kind, a.id)
      from (${APPLIED}) a), '[]'))
  from (${summary('$2')} where i.id = $1) s)`;

export function getInvoice(tx: Tx, id: number): Promise<Invoice> {
  return readDetail(tx, INVOICE_DETAIL, 'Invoice', id, today());
}

/** An invoice row with its lines and applications as the database gives them, amounts as shown to clients. */
export const toInvoice = (invoice: Invoice): Invoice => ({
  ...toSummary(invoice),
  lines: invoice.lines.map((l) => ({
    ...l,
    unit_price: money(l.unit_price),
    line_total: money(l.line_total),
    tax_amount: money(l.tax_amount),
  })),
  applied: invoice.applied.map((a) => ({ ...a, amount: money(a.amount) })),
});

export interface ListInvoicesInput {
  customer_id?: number;
  status?: InvoiceStatus;
  overdue?: boolean;
  kind?: 'invoice' | 'credit_note';
  limit: number;
  cursor?: string;
}

/** Newest first. overdue = posted, not fully paid, due date passed. */
export async function listInvoices(tx: Tx, input: ListInvoicesInput): Promise<Page<InvoiceSummary>> {
  const before = decodeCursor(input.cursor, ['number']);
  const rows = await tx.query<InvoiceSummary>(
    `select * from (${summary('$7')}) s
     where ($1::int is null or customer_id = $1) and ($2::text is null or status = $2)
       and ($3::boolean is null or overdue = $3) and ($4::text is null or kind = $4) and ($5::int is null or id < $5)
     order by id desc limit $6`,
    [
      input.customer_id ?? null,
      input.status ?? null,
      input.overdue ?? null,
      input.kind ?? null,
      before?.[0] ?? null,
      input.limit + 1,
      today(),
    ],
  );
  return toPage(rows, input.limit, (r) => [r.id], toSummary);
}
