// Gapless document numbers per series and year (INV-2026-0001, CN-2026-0001). The counter row
// stays locked until the caller's transaction ends, so a rolled-back posting frees its number
// and concurrent postings queue instead of skipping or repeating one.
import type { Tx } from '../../db/types.js';

export type Series = 'INV' | 'CN';

export async function nextDocumentNumber(tx: Tx, series: Series, date: string): Promise<string> {
  const year = Number(date.slice(0, 4));
  const [row] = await tx.query<{ last_value: number }>(
    `insert into document_sequences (series, year, last_value) values ($1, $2, 1)
     on conflict (series, year) do update set last_value = document_sequences.last_value + 1
     returning last_value`,
    [series, year],
  );
  return `${series}-${year}-${String(row!.last_value).padStart(4, '0')}`;
}
