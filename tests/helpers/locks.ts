// Forcing an interleaving on PostgreSQL without touching the code under test: a transaction that
// holds row locks until released, and a wait until other backends are blocked on locks.
import type { Db } from '../../src/db/types.js';

export interface HeldLocks {
  release(): Promise<void>;
}

/** Runs the statements in a transaction that stays open (its locks held) until release(). */
export async function holdLocks(db: Db, statements: [string, unknown[]][]): Promise<HeldLocks> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const done = db.transaction(async (tx) => {
    for (const [text, params] of statements) await tx.query(text, params);
    locked();
    await released;
  });
  await Promise.race([isLocked, done]);
  return {
    release: async () => {
      release();
      await done;
    },
  };
}

export interface BlockedOptions {
  /** At least this many backends of this database wait for a lock (default 1). */
  count?: number;
  /** ...while running a statement matching this ILIKE pattern. */
  statement?: string;
  /** Stop waiting, without error, once this settles: the call got through without blocking. */
  orDone?: Promise<unknown>;
  timeoutMs?: number;
}

/** Resolves once the wanted backends are blocked (true) or `orDone` settled first (false). */
export async function blocked(db: Db, options: BlockedOptions = {}): Promise<boolean> {
  let settled = false;
  void options.orDone?.finally(() => (settled = true)).catch(() => {});
  const until = Date.now() + (options.timeoutMs ?? 10_000);
  while (Date.now() < until) {
    if (settled) return false;
    const [row] = await db.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity
       where datname = current_database() and wait_event_type = 'Lock' and ($1::text is null or query ilike $1)`,
      [options.statement ?? null],
    );
    if (row!.n >= (options.count ?? 1)) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(
    `expected ${options.count ?? 1} backend(s) blocked${options.statement ? ` in ${options.statement}` : ''} within the timeout`,
  );
}
