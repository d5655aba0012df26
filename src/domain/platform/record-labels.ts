// Short labels of ERP records, for resources/list and id completion: documents by title, customers
// by name, orders by number and customer, invoices by number. Ids and labels only; reading a
// record is its own domain module's job.
import type { Tx } from '../../db/types.js';

export type LabelledKind = 'documents' | 'customers' | 'orders' | 'invoices';

export interface Labelled {
  id: number;
  label: string;
}

// Table expressions are ours, never a client's.
const SOURCES: Record<LabelledKind, string> = {
  documents: 'select id, coalesce(title, path) as label from documents',
  customers: 'select id, name as label from customers',
  orders:
    "select o.id, 'Order ' || o.id || ' — ' || c.name as label from orders o join customers c on c.id = o.customer_id",
  invoices: "select id, coalesce(invoice_number, 'Draft ' || id) as label from invoices",
};

/** Records after an id, in id order. */
export function listLabels(tx: Tx, kind: LabelledKind, afterId: number, limit: number): Promise<Labelled[]> {
  return tx.query<Labelled>(`select id, label from (${SOURCES[kind]}) r where id > $1 order by id limit $2`, [
    afterId,
    limit,
  ]);
}

/** Records whose id starts with, or whose label contains, what was typed (accent- and case-blind). */
/** Records whose id starts with, or whose label contains, the prefix: at most `limit`, in id order. */
export function completeLabels(tx: Tx, kind: LabelledKind, prefix: string, limit: number): Promise<Labelled[]> {
  return tx.query<Labelled>(
    `select id, label from (${SOURCES[kind]}) r where id::text like $1 || '%' or erp_fold(label) like '%' || erp_fold($1) || '%' order by id limit $2`,
    [prefix, limit],
  );
}
