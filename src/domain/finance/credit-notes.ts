// Credit notes correct posted invoices: a numbered CN-YYYY-NNNN document posted at once
// (Dr 4000 / Dr 2100 / Cr 1100) and applied to the invoice's open amount; what exceeds the open
// amount (the invoice was already paid) stays as the customer's unapplied credit.
import type { Tx } from '../../db/types.js';
import { today } from '../shared/clock.js';
import { conflict, invalid } from '../shared/errors.js';
import { divRoundHalfUp, formatMoney, parseFraction, parseMoney, type Cents } from '../shared/money.js';
import { ACCOUNTS } from './accounts.js';
import { insertLines, linesFromInput, sumLines, type InvoiceLineRow, type LineInput } from './invoice-lines.js';
import { lockInvoice, refreshInvoiceStatus } from './invoices.js';
import { postEntry } from './ledger.js';
import { nextDocumentNumber } from './numbering.js';
import { assertOpenPeriod } from './periods.js';

export interface CreditNoteInput {
  invoice_id: number;
  amount?: string | number;
  lines?: LineInput[];
  reason: string;
}

/** A gross amount split into net and tax in the invoice's own proportion. */
function linesForAmount(
  gross: Cents,
  inv: { subtotal: string; tax_amount: string; total_amount: string; invoice_number: string | null },
): InvoiceLineRow[] {
  const tax = divRoundHalfUp(gross * parseMoney(inv.tax_amount), parseMoney(inv.total_amount));
  return [
    {
      description: `Credit on ${inv.invoice_number}`,
      quantity: '1.000',
      unit_price: formatMoney(gross - tax),
      discount: '0.0000',
      line_total: formatMoney(gross - tax),
      tax_amount: formatMoney(tax),
      order_id: null,
      product_id: null,
    },
  ];
}

/** Refuses a credit note on anything but a posted (or paid) invoice. */
export async function assertCreditable(tx: Tx, invoiceId: number): Promise<Awaited<ReturnType<typeof lockInvoice>>> {
  const inv = await lockInvoice(tx, invoiceId);
  if (inv.kind !== 'invoice' || (inv.status !== 'posted' && inv.status !== 'paid')) {
    throw conflict(
      `Invoice ${invoiceId} is a ${inv.status} ${inv.kind.replace('_', ' ')}; only posted invoices take credit notes`,
    );
  }
  return inv;
}

export async function issueCreditNote(tx: Tx, input: CreditNoteInput, userId: number | null): Promise<number> {
  if ((input.amount === undefined) === (input.lines === undefined))
    throw invalid('Pass exactly one of amount or lines');
  const inv = await assertCreditable(tx, input.invoice_id);
  const [rate] = await tx.query<{ tax_rate: string }>('select tax_rate::text as tax_rate from invoices where id = $1', [
    inv.id,
  ]);
  const lines =
    input.amount !== undefined
      ? linesForAmount(parseMoney(input.amount, 'amount'), inv)
      : linesFromInput(input.lines!, parseFraction(rate!.tax_rate, 'tax_rate'));
  const { subtotal, tax, total } = sumLines(lines);
  if (total <= 0n) throw invalid('A credit note must credit a positive amount');
  const [credited] = await tx.query<{ sum: string }>(
    "select coalesce(sum(total_amount), 0) as sum from invoices where credited_invoice_id = $1 and kind = 'credit_note'",
    [inv.id],
  );
  const creditable = parseMoney(inv.total_amount) - parseMoney(credited!.sum);
  if (total > creditable)
    throw conflict(
      `Invoice ${inv.invoice_number} can be credited at most ${formatMoney(creditable)} more; asked ${formatMoney(total)}`,
    );
  const date = today();
  await assertOpenPeriod(tx, date, 'The credit note');
  const number = await nextDocumentNumber(tx, 'CN', date);
  const [row] = await tx.query<{ id: number }>(
    `insert into invoices (customer_id, invoice_number, issue_date, due_date, status, kind, credited_invoice_id, subtotal, tax_rate, tax_amount, total_amount, reason, posted_at)
     select customer_id, $2, $3, $3, 'posted', 'credit_note', id, $4, tax_rate, $5, $6, $7, now() from invoices where id = $1 returning id`,
    [inv.id, number, date, formatMoney(subtotal), formatMoney(tax), formatMoney(total), input.reason],
  );
  const id = row!.id;
  await insertLines(tx, id, lines);
  const entry = await postEntry(tx, {
    entry_date: date,
    memo: `Credit note ${number} on ${inv.invoice_number}: ${input.reason}`,
    source: 'credit_note',
    source_id: id,
    created_by: userId,
    lines: [
      { account: ACCOUNTS.salesRevenue, debit: subtotal },
      ...(tax > 0n ? [{ account: ACCOUNTS.salesTaxPayable, debit: tax }] : []),
      { account: ACCOUNTS.accountsReceivable, credit: total },
    ].filter((l) => (l.debit ?? 1n) > 0n),
  });
  await tx.query('update invoices set ledger_entry_id = $2 where id = $1', [id, entry]);
  const [open] = await tx.query<{ open_amount: string }>(
    'select open_amount from invoice_balances where invoice_id = $1',
    [inv.id],
  );
  const applied = parseMoney(open!.open_amount) < total ? parseMoney(open!.open_amount) : total;
  if (applied > 0n) {
    await tx.query('insert into credit_allocations (credit_note_id, invoice_id, amount) values ($1, $2, $3)', [
      id,
      inv.id,
      formatMoney(applied),
    ]);
    await refreshInvoiceStatus(tx, inv.id);
  }
  return id;
}
