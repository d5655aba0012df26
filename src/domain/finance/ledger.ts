// The journal: every posting goes through postEntry, which refuses anything that does not
// balance. Entries are append-only; corrections are new entries.
import type { Tx } from '../../db/types.js';
import { invalid } from '../shared/errors.js';
import { formatMoney, type Cents } from '../shared/money.js';

export type EntrySource =
  | 'manual'
  | 'invoice'
  | 'credit_note'
  | 'payment'
  | 'sale'
  | 'purchase'
  | 'adjustment'
  | 'opening'
  | 'reversal';

export interface EntryLine {
  account: string;
  debit?: Cents;
  credit?: Cents;
}

export interface EntryInput {
  entry_date: string;
  memo: string;
  source: EntrySource;
  source_id?: number | null;
  created_by?: number | null;
  reverses_entry_id?: number | null;
  lines: EntryLine[];
}

export async function postEntry(tx: Tx, entry: EntryInput): Promise<number> {
  let debits = 0n;
  let credits = 0n;
  for (const line of entry.lines) {
    const d = line.debit ?? 0n;
    const c = line.credit ?? 0n;
    if (d < 0n || c < 0n || d > 0n === c > 0n)
      throw invalid(`Line on account ${line.account} needs either a positive debit or a positive credit`);
    debits += d;
    credits += c;
  }
  if (debits !== credits)
    throw invalid(`Entry does not balance: debits ${formatMoney(debits)} ≠ credits ${formatMoney(credits)}`);
  if (debits === 0n) throw invalid('Entry has no amounts');
  // The entry and its lines in one statement (one round trip; both or neither).
  const [row] = await tx.query<{ id: number }>(
    `with entry as (
       insert into ledger_entries (entry_date, memo, source, source_id, created_by, reverses_entry_id)
       values ($1, $2, $3, $4, $5, $6) returning id
     ), lines as (
       insert into ledger_lines (entry_id, account, debit, credit)
       select entry.id, l.account, l.debit, l.credit
       from entry, unnest($7::text[], $8::numeric[], $9::numeric[]) with ordinality as l(account, debit, credit, n)
       order by l.n
     )
     select id from entry`,
    [
      entry.entry_date,
      entry.memo,
      entry.source,
      entry.source_id ?? null,
      entry.created_by ?? null,
      entry.reverses_entry_id ?? null,
      entry.lines.map((l) => l.account),
      entry.lines.map((l) => formatMoney(l.debit ?? 0n)),
      entry.lines.map((l) => formatMoney(l.credit ?? 0n)),
    ],
  );
  return row!.id;
}
