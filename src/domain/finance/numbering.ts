// Gapless document numbers per series and year (INV-2026-0001, CN-2026-0001). The counter row
// stays locked until the caller's transaction ends, so a rolled-back posting frees its number
// and concurrent postings queue instead of skipping or repeating one.
import type { Tx } from '../../db/types.js';

export type Series = 'INV' | 'CN';

/**
 * The CTE `number` (column document_number) that takes the next number of a series and year, for
 * a statement that also uses it; with `from`, only for that CTE's rows. The counter row is the
 * hottest lock of the books: a caller takes it in its last round trip before commit.
 */
export const nextNumberCte = (series: string, year: string, from?: string) => `number as (
       insert into document_sequences (series, year, last_value)
       ${from ? `select ${series}, ${year}, 1 from ${from}` : `values (${series}, ${year}, 1)`}
       on conflict (series, year) do update set last_value = document_sequences.last_value + 1
       returning series || '-' || year || '-' || lpad(last_value::text, greatest(4, length(last_value::text)), '0') as document_number
     )`;

export const yearOf = (date: string) => Number(date.slice(0, 4));

export async function nextDocumentNumber(tx: Tx, series: Series, date: string): Promise<string> {
  const [row] = await tx.query<{ document_number: string }>(
    `with ${nextNumberCte('$1', '$2')} select document_number from number`,
    [series, yearOf(date)],
  );
  return row!.document_number;
}
