// Record ids are PostgreSQL integers: positive and below 2^31. A larger number from a client is a
// bad argument, not a database error.
export const MAX_ROW_ID = 2_147_483_647;

export const isRowId = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= MAX_ROW_ID;

/** A decimal id from text (a resource URI, a prompt argument), or null when it is not one. */
export function parseRowId(text: string): number | null {
  if (!/^\d{1,10}$/.test(text)) return null;
  const id = Number(text);
  return isRowId(id) ? id : null;
}
