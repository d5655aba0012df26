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

/** The entry's lines as statement parameters, once they are each one-sided and positive and balance. */
export function balancedLines(lines: EntryLine[]): [accounts: string[], debits: string[], credits: string[]] {
  let debits = 0n;
  let credits = 0n;
  for (const line of lines) {
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
  return [
    lines.map((l) => l.account),
    lines.map((l) => formatMoney(l.debit ?? 0n)),
    lines.map((l) => formatMoney(l.credit ?? 0n)),
  ];
}

/** SQL expressions (parameters, or subqueries of the caller's other CTEs) for the entry's columns. */
export interface EntryValues {
  date: string;
  memo: string;
  source: string;
  sourceId: string;
  createdBy: string;
  reverses: string;
  /** Parameters holding balancedLines' three arrays. */
  accounts: string;
  debits: string;
  credits: string;
  /** A condition for writing the entry at all (default: always). */
  when?: string;
}

/**
 * The CTEs `entry` (its id) and `entry_lines` that write an entry and its lines within a larger
 * statement, so a posting and what it posts travel in one round trip, both or neither.
 */
export const entryCtes = (v: EntryValues) => {
  const columns = `${v.date}, ${v.memo}, ${v.source}, ${v.sourceId}, ${v.createdBy}, ${v.reverses}`;
  return `entry as (
       insert into ledger_entries (entry_date, memo, source, source_id, created_by, reverses_entry_id)
       ${v.when ? `select ${columns} where ${v.when}` : `values (${columns})`} returning id
     ), entry_lines as (
       insert into ledger_lines (entry_id, account, debit, credit)
       select entry.id, l.account, l.debit, l.credit
       from entry, unnest(${v.accounts}::text[], ${v.debits}::numeric[], ${v.credits}::numeric[]) with ordinality as l(account, debit, credit, n)
       order by l.n
     )`;
};

const ENTRY_FROM_PARAMS = entryCtes({
  date: '$1',
  memo: '$2',
  source: '$3',
  sourceId: '$4',
  createdBy: '$5',
  reverses: '$6',
  accounts: '$7',
  debits: '$8',
  credits: '$9',
});

export async function postEntry(tx: Tx, entry: EntryInput): Promise<number> {
  const lines = balancedLines(entry.lines);
  const [row] = await tx.query<{ id: number }>(`with ${ENTRY_FROM_PARAMS} select id from entry`, [
    entry.entry_date,
    entry.memo,
    entry.source,
    entry.source_id ?? null,
    entry.created_by ?? null,
    entry.reverses_entry_id ?? null,
    ...lines,
  ]);
  return row!.id;
}
