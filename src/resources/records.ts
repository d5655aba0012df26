// ERP records as MCP resources: erp://documents/{id} (text), erp://customers/{id},
// erp://orders/{id}, erp://invoices/{id} (JSON). Ids complete from names and numbers; every
// read is checked against the reader's role like the matching get_* tool.
import type { Tx } from '../db/types.js';
import { getInvoice } from '../domain/finance/invoice-queries.js';
import { getCustomer } from '../domain/sales/customers.js';
import { getOrder } from '../domain/sales/order-queries.js';
import { getDocument } from '../rag/search.js';
import type { Toolset } from '../tools/define.js';

export interface RecordKind {
  /** Plural path segment in erp://<segment>/{id}. */
  segment: string;
  title: string;
  toolset: Toolset;
  mimeType: string;
  read: (tx: Tx, id: number) => Promise<string>;
  /** id and label of records, for lists (after an id) and completion (matching a prefix). */
  list: (tx: Tx, afterId: number, limit: number) => Promise<{ id: number; label: string }[]>;
  complete: (tx: Tx, prefix: string) => Promise<{ id: number; label: string }[]>;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

function simpleKind(segment: string, title: string, toolset: Toolset, table: string, label: string, read: RecordKind['read'], mimeType = 'application/json'): RecordKind {
  return {
    segment, title, toolset, mimeType, read,
    list: (tx, afterId, limit) => tx.query(`select id, ${label} as label from ${table} where id > $1 order by id limit $2`, [afterId, limit]),
    complete: (tx, prefix) => tx.query(
      `select id, ${label} as label from ${table} where id::text like $1 || '%' or erp_fold(${label}) like '%' || erp_fold($1) || '%' order by id limit 20`, [prefix]),
  };
}

export const RECORD_KINDS: RecordKind[] = [
  simpleKind('documents', 'Document', 'rag', 'documents', "coalesce(title, path)", async (tx, id) => (await getDocument(tx, id)).content, 'text/markdown'),
  simpleKind('customers', 'Customer', 'sales', 'customers', 'name', async (tx, id) => json(await getCustomer(tx, id))),
  simpleKind('orders', 'Order', 'sales', "(select o.id, 'Order ' || o.id || ' — ' || c.name as name from orders o join customers c on c.id = o.customer_id) r", 'name',
    async (tx, id) => json(await getOrder(tx, id))),
  simpleKind('invoices', 'Invoice', 'finance', "(select id, coalesce(invoice_number, 'Draft ' || id) as name from invoices) r", 'name',
    async (tx, id) => json(await getInvoice(tx, id))),
];
