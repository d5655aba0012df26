// Keyset pagination with opaque cursors: a cursor is the sort key of the last row returned,
// base64url-encoded, so pages stay stable while rows are added.
import { invalid } from './errors.js';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(
  cursor: string | undefined,
  shape: readonly ('string' | 'number')[],
): (string | number)[] | undefined {
  if (cursor === undefined || cursor === null) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('cursor is not a cursor this server returned');
  }
  // Numbers in a key are ids or scores compared with int4/float columns: bounded like them.
  const fits = (v: unknown) => typeof v !== 'number' || (Number.isFinite(v) && Math.abs(v) <= 2_147_483_647);
  const ok = Array.isArray(key) && key.length === shape.length && key.every((v, i) => typeof v === shape[i] && fits(v));
  if (!ok) throw invalid('cursor is not a cursor this server returned');
  return key as (string | number)[];
}

/** Takes rows fetched with limit + 1 and cuts them into a page. */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  key: (row: R) => (string | number)[],
  map: (row: R) => T,
): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return { items: kept.map(map), next_cursor: more && last !== undefined ? encodeCursor(key(last)) : null };
}
