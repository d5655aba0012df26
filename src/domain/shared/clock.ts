// The one clock of the books: every business date the server picks by itself (an invoice's issue
// date, a ledger entry's date, a report's "as of", the demo's "days ago") comes from here, so a
// test can fix "today" and check what follows from it. Dates are UTC calendar days, "YYYY-MM-DD".
// Timestamps that SQL stamps with now() (confirmed_at, updated_at, …) follow the database's clock.

export type Clock = () => Date;

const DAY_MS = 86_400_000;
const wallClock: Clock = () => new Date();
let current: Clock = wallClock;

/** The current instant. */
export const now = (): Date => current();

/** Today's date in UTC, "YYYY-MM-DD". */
export const today = (): string => now().toISOString().slice(0, 10);

/** The calendar date `days` after `date` (negative: before), both "YYYY-MM-DD". */
export const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** The date `days` before today. */
export const daysAgo = (days: number): string => addDays(today(), -days);

/**
 * For tests: replaces the clock for the whole process and returns a function that puts the
 * previous one back (call it in afterEach/afterAll). The server itself never calls this.
 */
export function setClock(clock: Clock): () => void {
  const previous = current;
  current = clock;
  return () => {
    current = previous;
  };
}

/** For tests: stops the clock at `at` (a date "YYYY-MM-DD" means its midnight UTC). */
export function useFixedClock(at: string | Date): () => void {
  const instant = typeof at === 'string' ? new Date(/T/.test(at) ? at : `${at}T00:00:00Z`) : at;
  if (Number.isNaN(instant.getTime())) throw new RangeError(`not a date: ${String(at)}`);
  return setClock(() => new Date(instant));
}
