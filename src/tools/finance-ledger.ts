// finance toolset, part two: payments, manual journal entries, reversals and the lock date.
import { z } from 'zod';
import {
  assertReversible,
  entryTotal,
  getJournalEntry,
  postJournalEntry,
  reverseJournalEntry,
  validateManualEntry,
} from '../domain/finance/journal.js';
import { allocatePayment, getPayment, listPayments, recordPayment } from '../domain/finance/payments.js';
import { setLockDate } from '../domain/finance/periods.js';
import { approvalNeed } from '../domain/platform/approval-policy.js';
import { formatMoney, parseMoney } from '../domain/shared/money.js';
import { defineTool } from './define.js';
import { id, isoDate, moneyInput, moneyOutput, pageInput, pageOutput, text } from './schemas.js';

const payment = z.object({
  id: z.number().int(),
  customer_id: z.number().int(),
  customer_name: z.string(),
  amount: moneyOutput,
  method: z.string(),
  received_at: z.string(),
  reference: z.string().nullable(),
  unapplied: moneyOutput.describe('credit not yet applied to invoices'),
  allocations: z.array(
    z.object({
      invoice_id: z.number().int(),
      invoice_number: z.string().nullable(),
      amount: moneyOutput,
      invoice_open: moneyOutput.describe('what is still open on the invoice now'),
    }),
  ),
});
const entry = z.object({
  id: z.number().int(),
  entry_date: z.string(),
  memo: z.string(),
  source: z.string(),
  source_id: z.number().int().nullable(),
  reverses_entry_id: z.number().int().nullable(),
  created_at: z.string(),
  total: moneyOutput,
  lines: z.array(z.object({ account: z.string(), debit: moneyOutput, credit: moneyOutput })),
});
const write = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false } as const;
const SHOWN_ALLOCATIONS = 5;
/**
 * What the payment was applied to and what is still open on each invoice: a partial payment
 * leaves an invoice open, so "applied" never claims "paid".
 */
function showPayment(p: z.output<typeof payment>): string {
  const head = `Payment ${p.id} of ${p.amount} from ${p.customer_name}`;
  if (p.allocations.length === 0) return `${head}: not applied to any invoice; ${p.unapplied} unapplied`;
  const shown = p.allocations
    .slice(0, SHOWN_ALLOCATIONS)
    .map(
      (a) =>
        `${a.amount} to ${a.invoice_number ?? `invoice ${a.invoice_id}`} (${parseMoney(a.invoice_open) === 0n ? 'paid in full' : `${a.invoice_open} still open on it`})`,
    );
  const more = p.allocations.length - shown.length;
  const total = formatMoney(p.allocations.reduce((sum, a) => sum + parseMoney(a.amount), 0n));
  return `${head}: applied ${shown.join(', ')}${more ? ` and to ${more} more invoice(s), ${total} in all` : ''}; ${p.unapplied} unapplied`;
}
const showEntry = (e: z.output<typeof entry>) => `Journal entry ${e.id} on ${e.entry_date}: ${e.total} (${e.memo})`;
const account = z.string().regex(/^\d{4}$/, 'account must be a 4-digit account number');

export const recordPaymentTool = defineTool({
  name: 'record_payment',
  title: 'Record customer payment',
  description:
    "Records money received from a customer (Dr 1000 Cash / Cr 1100 AR). With allocations [{invoice_id, amount}] it pays those invoices; without, it pays the customer's oldest due invoices first. Nothing is ever over-applied; what is left stays as unapplied credit. Invoices become paid when fully settled.",
  toolset: 'finance',
  input: z.strictObject({
    customer_id: id(),
    amount: moneyInput('amount received'),
    method: text(50, 'method').describe('e.g. bank transfer, card, cash'),
    received_at: isoDate.optional(),
    reference: z.string().trim().max(200).optional(),
    allocations: z
      .array(z.strictObject({ invoice_id: id(), amount: moneyInput('amount to apply') }))
      .max(200)
      .optional(),
  }),
  output: payment,
  annotations: write,
  summary: showPayment,
  run: async (ctx, input) => getPayment(ctx.tx, await recordPayment(ctx.tx, input, ctx.user.id)),
});

export const allocatePaymentTool = defineTool({
  name: 'allocate_payment',
  title: 'Apply payment to invoice',
  description:
    'Applies unapplied money of a payment to one posted invoice of the same customer; never more than the payment has left or the invoice still owes.',
  toolset: 'finance',
  input: z.strictObject({ payment_id: id(), invoice_id: id(), amount: moneyInput('amount to apply') }),
  output: payment,
  annotations: write,
  summary: showPayment,
  run: async (ctx, input) => {
    await allocatePayment(ctx.tx, input.payment_id, input.invoice_id, input.amount);
    return getPayment(ctx.tx, input.payment_id);
  },
});

export const listPaymentsTool = defineTool({
  name: 'list_payments',
  title: 'List payments',
  description:
    'Lists payments received, newest first, optionally for one customer, with how each was applied and what is unapplied. Paginated.',
  toolset: 'finance',
  input: z.strictObject({ customer_id: id().optional(), ...pageInput }),
  output: pageOutput(payment),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  summary: (o) => `${o.items.length} payment(s)${o.next_cursor ? ', more available' : ''}`,
  run: (ctx, input) => listPayments(ctx.tx, input),
});

export const postJournalEntryTool = defineTool({
  name: 'post_journal_entry',
  title: 'Post manual journal entry',
  description:
    "Posts a manual journal entry (e.g. rent, owner's capital, accruals). Lines [{account, debit?, credit?}] must balance; control accounts 1100 and 1200 are off limits; no dates on or before the lock date. Entries above 10,000.00 need approval.",
  toolset: 'finance',
  input: z.strictObject({
    entry_date: isoDate,
    memo: text(500, 'memo'),
    lines: z
      .array(
        z.strictObject({ account, debit: moneyInput('debit').optional(), credit: moneyInput('credit').optional() }),
      )
      .min(2)
      .max(100),
  }),
  output: entry,
  annotations: write,
  approval: async (ctx, input) =>
    approvalNeed(ctx.tx, 'post_journal_entry', entryTotal(await validateManualEntry(ctx.tx, input))),
  summary: showEntry,
  run: async (ctx, input) => getJournalEntry(ctx.tx, await postJournalEntry(ctx.tx, input, ctx.user.id)),
});

export const reverseJournalEntryTool = defineTool({
  name: 'reverse_journal_entry',
  title: 'Reverse journal entry',
  description:
    'Reverses a manual journal entry with an equal and opposite entry (dated entry_date, default today). Needs approval. Entries made by invoices, payments or stock are corrected through those documents instead.',
  toolset: 'finance',
  input: z.strictObject({ entry_id: id('Journal entry'), entry_date: isoDate.optional() }),
  output: entry,
  annotations: { ...write, destructiveHint: true },
  approval: async (ctx, input) => {
    await assertReversible(ctx.tx, input.entry_id);
    return approvalNeed(ctx.tx, 'reverse_journal_entry');
  },
  summary: showEntry,
  run: async (ctx, input) =>
    getJournalEntry(ctx.tx, await reverseJournalEntry(ctx.tx, input.entry_id, input.entry_date, ctx.user.id)),
});

export const getJournalEntryTool = defineTool({
  name: 'get_journal_entry',
  title: 'Get journal entry',
  description: 'Shows one journal entry with its lines, source document and any reversal link.',
  toolset: 'finance',
  input: z.strictObject({ entry_id: id('Journal entry') }),
  output: entry,
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  summary: showEntry,
  run: (ctx, input) => getJournalEntry(ctx.tx, input.entry_id),
});

export const setLockDateTool = defineTool({
  name: 'set_lock_date',
  title: 'Set lock date',
  description:
    'Closes the books up to and including a date: nothing may be posted on or before it afterwards. Needs approval by another finance user or an admin.',
  toolset: 'finance',
  roles: ['admin', 'finance'],
  input: z.strictObject({ date: isoDate }),
  output: z.object({ lock_date: z.string(), previous: z.string().nullable() }),
  annotations: write,
  approval: (ctx) => approvalNeed(ctx.tx, 'set_lock_date'),
  summary: (o) => `Books locked up to ${o.lock_date}${o.previous ? ` (was ${o.previous})` : ''}`,
  run: (ctx, input) => setLockDate(ctx.tx, input.date),
});

export const ledgerTools = [
  recordPaymentTool,
  allocatePaymentTool,
  listPaymentsTool,
  postJournalEntryTool,
  reverseJournalEntryTool,
  getJournalEntryTool,
  setLockDateTool,
];
