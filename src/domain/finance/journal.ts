// Manual journal entries and reversals. Manual entries must balance, may not touch the control
// accounts (1100 AR and 1200 Inventory move only through invoices, payments and stock), and may
// not be dated on or before the lock date. Only manual entries are reversed this way; documents
// are corrected by their own means (credit notes, stock adjustments).
import type { Tx } from '../../db/types.js';
import { today } from '../shared/clock.js';
import { conflict, invalid, notFound } from '../shared/errors.js';
import { formatMoney, parseMoney, type Cents } from '../shared/money.js';
import { ACCOUNTS } from './accounts.js';
import { postEntry, type EntryLine } from './ledger.js';
import { assertOpenPeriod } from './periods.js';

export const CONTROL_ACCOUNTS: readonly string[] = [ACCOUNTS.accountsReceivable, ACCOUNTS.inventory];

export interface ManualLine {
  account: string;
  debit?: string | number;
  credit?: string | number;
}

export function parseManualLines(lines: ManualLine[]): EntryLine[] {
  return lines.map((l, i) => {
    const debit = l.debit === undefined ? 0n : parseMoney(l.debit, `lines.${i}.debit`);
    const credit = l.credit === undefined ? 0n : parseMoney(l.credit, `lines.${i}.credit`);
    if (debit < 0n || credit < 0n || debit > 0n === credit > 0n)
      throw invalid(`lines.${i}: give either a positive debit or a positive credit`);
    return { account: l.account, debit, credit };
  });
}

export const entryTotal = (lines: EntryLine[]): Cents => lines.reduce((s, l) => s + (l.debit ?? 0n), 0n);

/** Checks a manual entry completely (lines, balance, accounts, lock date) and returns its lines. */
export async function validateManualEntry(
  tx: Tx,
  input: { entry_date: string; lines: ManualLine[] },
): Promise<EntryLine[]> {
  const lines = parseManualLines(input.lines);
  const control = lines.find((l) => CONTROL_ACCOUNTS.includes(l.account));
  if (control)
    throw invalid(
      `Account ${control.account} is a control account; it moves only through invoices, payments and stock`,
    );
  const debits = entryTotal(lines);
  const credits = lines.reduce((s, l) => s + (l.credit ?? 0n), 0n);
  if (debits !== credits)
    throw invalid(`Entry does not balance: debits ${formatMoney(debits)} ≠ credits ${formatMoney(credits)}`);
  const accounts = [...new Set(lines.map((l) => l.account))];
  const known = await tx.query<{ account: string }>(
    'select account from chart_of_accounts where account = any($1::text[])',
    [accounts],
  );
  const unknown = accounts.find((a) => !known.some((k) => k.account === a));
  if (unknown) throw notFound('Account', unknown);
  await assertOpenPeriod(tx, input.entry_date, 'The entry');
  return lines;
}

export async function postJournalEntry(
  tx: Tx,
  input: { entry_date: string; memo: string; lines: ManualLine[] },
  userId: number | null,
): Promise<number> {
  const lines = await validateManualEntry(tx, input);
  return postEntry(tx, { entry_date: input.entry_date, memo: input.memo, source: 'manual', created_by: userId, lines });
}

/** Refuses what cannot be reversed: unknown, already reversed, or posted by a document. */
export async function assertReversible(tx: Tx, entryId: number): Promise<{ memo: string }> {
  const [entry] = await tx.query<{
    id: number;
    source: string;
    source_id: number | null;
    memo: string;
    reversed_by: number | null;
  }>(
    `select e.id, e.source, e.source_id, e.memo, r.id as reversed_by from ledger_entries e
     left join ledger_entries r on r.reverses_entry_id = e.id where e.id = $1 for update of e`,
    [entryId],
  );
  if (!entry) throw notFound('Journal entry', entryId);
  if (entry.reversed_by) throw conflict(`Journal entry ${entryId} was already reversed by entry ${entry.reversed_by}`);
  if (entry.source !== 'manual')
    throw conflict(
      `Journal entry ${entryId} was posted by ${entry.source} ${entry.source_id ?? ''}`.trim() +
        '; correct the document instead (e.g. a credit note)',
    );
  return entry;
}

export async function reverseJournalEntry(
  tx: Tx,
  entryId: number,
  entryDate: string | undefined,
  userId: number | null,
): Promise<number> {
  const entry = await assertReversible(tx, entryId);
  const date = entryDate ?? today();
  await assertOpenPeriod(tx, date, 'The reversal');
  const lines = await tx.query<{ account: string; debit: string; credit: string }>(
    'select account, debit, credit from ledger_lines where entry_id = $1 order by id',
    [entryId],
  );
  return postEntry(tx, {
    entry_date: date,
    memo: `Reversal of entry ${entryId}: ${entry.memo}`,
    source: 'reversal',
    source_id: entryId,
    created_by: userId,
    reverses_entry_id: entryId,
    lines: lines.map((l) => ({ account: l.account, debit: parseMoney(l.credit), credit: parseMoney(l.debit) })),
  });
}

export interface JournalEntry {
  id: number;
  entry_date: string;
  memo: string;
  source: string;
  source_id: number | null;
  reverses_entry_id: number | null;
  created_at: string;
  lines: { account: string; debit: string; credit: string }[];
  total: string;
}

export async function getJournalEntry(tx: Tx, id: number): Promise<JournalEntry> {
  const [e] = await tx.query<Omit<JournalEntry, 'lines' | 'total'>>(
    'select id, entry_date, memo, source, source_id, reverses_entry_id, created_at from ledger_entries where id = $1',
    [id],
  );
  if (!e) throw notFound('Journal entry', id);
  const lines = await tx.query<{ account: string; debit: string; credit: string }>(
    'select account, debit, credit from ledger_lines where entry_id = $1 order by id',
    [id],
  );
  const total = lines.reduce((s, l) => s + parseMoney(l.debit), 0n);
  return {
    ...e,
    lines: lines.map((l) => ({
      account: l.account,
      debit: formatMoney(parseMoney(l.debit)),
      credit: formatMoney(parseMoney(l.credit)),
    })),
    total: formatMoney(total),
  };
}
