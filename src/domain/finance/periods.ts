// The lock date: books on or before it are closed, and no entry may be dated there.
import type { Tx } from '../../db/types.js';
import { conflict } from '../shared/errors.js';
import { sent } from '../shared/sent.js';

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

/**
 * The lock date, share-locked so a concurrent set_lock_date cannot slip in between check and post.
 * Sent at once, for the caller to await with its other reads (one round trip).
 */
export function lockDateForPosting(tx: Tx): Promise<string | null> {
  return sent(
    tx
      .query<{ value: string }>('select value from settings where key = $1 for share', [LOCK_KEY])
      .then(([row]) => row?.value ?? null),
  );
}

/** Refuses a posting dated on or before the lock date. */
export function requireOpenPeriod(lockDate: string | null, date: string, what: string): void {
  if (lockDate !== null && date <= lockDate)
    throw conflict(`${what} is dated ${date}, on or before the lock date ${lockDate}; date it later`);
}

export async function assertOpenPeriod(tx: Tx, date: string, what: string): Promise<void> {
  requireOpenPeriod(await lockDateForPosting(tx), date, what);
}
