// A record shown whole by one SQL expression of its id (and further parameters): a json document
// built by the database, null when there is no such record (CUSTOMER_DETAIL, ORDER_DETAIL,
// INVOICE_DETAIL; the gate sends the same expressions with audit rows, sql/019).
import type { Tx } from '../../db/types.js';
import { notFound } from './errors.js';

/** The document `detail` ($1 the id, then `more`) builds, or NOT_FOUND naming `what` and the id. */
export async function readDetail<T>(tx: Tx, detail: string, what: string, id: number, ...more: unknown[]): Promise<T> {
  const [row] = await tx.query<{ detail: T | null }>(`select ${detail} as detail`, [id, ...more]);
  if (!row?.detail) throw notFound(what, id);
  return row.detail;
}
