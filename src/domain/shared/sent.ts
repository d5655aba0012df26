// Reads sent at once and awaited later, so a call's independent statements share a round trip on
// PostgreSQL (src/db/postgres.ts pipelines them).

/**
 * A statement's answer (or a value made from it) that is awaited later, or never when an earlier
 * check throws first. Its failure is the transaction's, which reports it, so the promise itself
 * needs no handler of its own.
 */
export function sent<T>(answer: Promise<T>): Promise<T> {
  answer.catch(() => {});
  return answer;
}
