// The lock date: books on or before it are closed, and no entry may be dated there.
import type { Tx } from '../../db/types.js';
import { conflict } from '../shared/errors.js';

const LOCK_KEY = 'lock_date';

export async function getLockDate(tx: Tx): Promise<string | null> {
  const [row] = await tx.query<{ value: string }>('select value from settings where key = $1', [LOCK_KEY]);
  return row?.value ?? null;
}

export async function setLockDate(tx: Tx, date: string): Promise<{ lock_date: string; previous: string | null }> {
  const previous = await getLockDate(tx);
  await tx.query(
    `insert into settings (key, value) values ($1, $2) on conflict (key) do update set value = excluded.value, updated_at = now()`,
    [LOCK_KEY, date],
  );
  return { lock_date: date, previous };
}

/** Refuses a posting dated on or before the lock date. */
export async function assertOpenPeriod(tx: Tx, date: string, what: string): Promise<void> {
  // Share-lock the setting so a concurrent set_lock_date cannot slip in between check and post.
  const [row] = await tx.query<{ value: string }>('select value from settings where key = $1 for share', [LOCK_KEY]);
  if (row && date <= row.value)
    throw conflict(`${what} is dated ${date}, on or before the lock date ${row.value}; date it later`);
}
