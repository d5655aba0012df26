// finance toolset, part one: invoices and credit notes.
import { z } from 'zod';
import { assertCreditable, issueCreditNote } from '../domain/finance/credit-notes.js';
import { invalid } from '../domain/shared/errors.js';
import { today } from '../domain/shared/clock.js';
import { getInvoice, INVOICE_DETAIL, INVOICE_STATUSES, listInvoices } from '../domain/finance/invoice-queries.js';
import { draftInvoice, sendPostInvoice, voidInvoice } from '../domain/finance/invoices.js';
import { approvalNeed } from '../domain/platform/approval-policy.js';
import { defineTool } from './define.js';
import { id, isoDate, moneyInput, moneyOutput, pageInput, pageOutput, text } from './schemas.js';

const summaryShape = {
  id: z.number().int(),
  kind: z.enum(['invoice', 'credit_note']),
  invoice_number: z.string().nullable().describe('INV-YYYY-NNNN / CN-YYYY-NNNN; null while draft'),
  customer_id: z.number().int(),
  customer_name: z.string(),
  status: z.enum(INVOICE_STATUSES),
  issue_date: z.string(),
  due_date: z.string(),
  subtotal: moneyOutput,
  tax_rate: z.string(),
  tax_amount: moneyOutput,
  total_amount: moneyOutput,
  paid: moneyOutput,
  credited: moneyOutput,
  open_amount: moneyOutput.describe('invoices: still owed; credit notes: credit not yet applied'),
  overdue: z.boolean(),
  credited_invoice_id: z.number().int().nullable(),
  reason: z.string().nullable(),
  order_ids: z.array(z.number().int()),
};
const summary = z.object(summaryShape);
const invoice = z.object({
  ...summaryShape,
  lines: z.array(
    z.object({
      description: z.string(),
      quantity: z.string(),
      unit_price: moneyOutput,
      discount: z.string(),
      line_total: moneyOutput,
      tax_amount: moneyOutput,
      order_id: z.number().int().nullable(),
      product_id: z.number().int().nullable(),
    }),
  ),
  applied: z
    .array(
      z.object({
        kind: z.enum(['payment', 'credit_note', 'invoice']),
        id: z.number().int(),
        reference: z.string().nullable().describe('payment reference (or method), or document number'),
        date: z.string(),
        amount: moneyOutput,
      }),
    )
    .describe(
      'on an invoice: the payments and credit notes applied to it; on a credit note: the invoices it was applied to',
    ),
});
// A credit note's open amount is credit not yet applied; a void draft never got a number.
const show = (i: z.output<typeof invoice>) => {
  const [what, open] = i.kind === 'credit_note' ? ['Credit note', 'unapplied credit'] : ['Invoice', 'open'];
  return `${what} ${i.invoice_number ?? `${i.id} (no number)`} for ${i.customer_name}: ${i.status}, total ${i.total_amount}, ${open} ${i.open_amount}${i.overdue ? ', OVERDUE' : ''}`;
};
const write = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false } as const;
const line = z.strictObject({
  description: text(500, 'description'),
  quantity: z.union([z.number().positive(), z.string().max(20)]).describe('positive, up to 3 decimals'),
  unit_price: moneyInput('unit price'),
});
const rate = z
  .union([z.number().min(0).max(0.9999), z.string().max(10)])
  .describe('tax rate as a fraction, e.g. 0.2 = 20 %');
const invoiceId = z.strictObject({ invoice_id: id() });

export const createInvoiceTool = defineTool({
  name: 'create_invoice',
  title: 'Create invoice (draft)',
  description:
    'Creates a draft invoice for a customer, either from confirmed/fulfilled orders (order_ids: copies their lines; each order can be invoiced once) or from free lines [{description, quantity, unit_price}]. Optional issue_date (default today), due_date (default +30 days), tax_rate (fraction; tax is rounded half-up per line). Drafts have no number and touch no books until post_invoice.',
  toolset: 'finance',
  input: z.strictObject({
    customer_id: id(),
    order_ids: z.array(id()).min(1).max(100).optional(),
    lines: z.array(line).min(1).max(500).optional(),
    issue_date: isoDate.optional(),
    due_date: isoDate.optional(),
    tax_rate: rate.optional(),
  }),
  output: invoice,
  annotations: write,
  summary: show,
  run: (ctx, input) => draftInvoice(ctx.tx, input),
});

export const postInvoiceTool = defineTool({
  name: 'post_invoice',
  title: 'Post invoice',
  description:
    'Posts a draft invoice: gives it the next gapless number INV-YYYY-NNNN for its issue year and books Dr 1100 Accounts Receivable / Cr 4000 Sales Revenue (and Cr 2100 Sales Tax). Posted invoices never change; correct them with issue_credit_note.',
  toolset: 'finance',
  input: invoiceId,
  output: invoice,
  annotations: { ...write, idempotentHint: true },
  summary: show,
  work: (ctx, input) => sendPostInvoice(ctx.tx, input.invoice_id, ctx.user.id),
  answer: { sql: INVOICE_DETAIL, params: (input) => [input.invoice_id, today()] },
});

export const voidInvoiceTool = defineTool({
  name: 'void_invoice',
  title: 'Void draft invoice',
  description:
    'Voids a draft invoice (its orders can then be invoiced again). Posted invoices cannot be voided: issue a credit note.',
  toolset: 'finance',
  input: invoiceId,
  output: invoice,
  annotations: { ...write, destructiveHint: true, idempotentHint: true },
  summary: show,
  run: async (ctx, input) => {
    await voidInvoice(ctx.tx, input.invoice_id);
    return getInvoice(ctx.tx, input.invoice_id);
  },
});

export const issueCreditNoteTool = defineTool({
  name: 'issue_credit_note',
  title: 'Issue credit note',
  description:
    "Credits a posted invoice, by a gross amount (split into net and tax like the invoice) or by lines. Needs approval by another finance user or an admin; once approved it gets number CN-YYYY-NNNN, books Dr 4000 / Dr 2100 / Cr 1100, and reduces the invoice's open amount — any excess stays as customer credit.",
  toolset: 'finance',
  input: z.strictObject({
    invoice_id: id(),
    amount: moneyInput('gross amount to credit').optional(),
    lines: z.array(line).min(1).max(100).optional(),
    reason: text(1000, 'reason'),
  }),
  output: invoice,
  annotations: { ...write, destructiveHint: true },
  approval: async (ctx, input) => {
    if ((input.amount === undefined) === (input.lines === undefined))
      throw invalid('Pass exactly one of amount or lines');
    await assertCreditable(ctx.tx, input.invoice_id);
    return approvalNeed(ctx.tx, 'issue_credit_note');
  },
  summary: show,
  run: async (ctx, input) => getInvoice(ctx.tx, await issueCreditNote(ctx.tx, input, ctx.user.id)),
});

export const getInvoiceTool = defineTool({
  name: 'get_invoice',
  title: 'Get invoice',
  description:
    'Shows one invoice or credit note: number, status, lines, totals, what is paid, credited and still open (with each payment and credit note applied), and whether it is overdue.',
  toolset: 'finance',
  view: 'invoice',
  input: invoiceId,
  output: invoice,
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  summary: show,
  run: (ctx, input) => getInvoice(ctx.tx, input.invoice_id),
});

export const listInvoicesTool = defineTool({
  name: 'list_invoices',
  title: 'List invoices',
  description:
    'Lists invoices and credit notes, newest first, filtered by customer_id, status (draft, posted, paid, void), overdue (posted, unpaid, past due) or kind. Paginated.',
  toolset: 'finance',
  input: z.strictObject({
    customer_id: id().optional(),
    status: z.enum(INVOICE_STATUSES).optional(),
    overdue: z.boolean().optional(),
    kind: z.enum(['invoice', 'credit_note']).optional(),
    ...pageInput,
  }),
  output: pageOutput(summary),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  summary: (o) => `${o.items.length} invoice(s)${o.next_cursor ? ', more available' : ''}`,
  run: (ctx, input) => listInvoices(ctx.tx, input),
});

export const invoiceTools = [
  createInvoiceTool,
  postInvoiceTool,
  voidInvoiceTool,
  issueCreditNoteTool,
  getInvoiceTool,
  listInvoicesTool,
];
