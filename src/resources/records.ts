// ERP records as MCP resources: erp://documents/{id} (text), erp://customers/{id},
// erp://orders/{id}, erp://invoices/{id} (JSON). Ids complete from names and numbers; every
// read is checked against the reader's role like the matching get_* tool.
import type { Tx } from '../db/types.js';
import { getInvoice } from '../domain/finance/invoice-queries.js';
import { getCustomer } from '../domain/sales/customer-detail.js';
import { getOrder } from '../domain/sales/order-queries.js';
import { getDocument } from '../domain/documents/search.js';
import { completeLabels, listLabels, type LabelledKind } from '../domain/platform/record-labels.js';
import type { Toolset } from '../domain/platform/roles.js';

export interface RecordKind {
  /** Plural path segment in erp://<segment>/{id}. */
  segment: string;
  title: string;
  toolset: Toolset;
  mimeType: string;
  read: (tx: Tx, id: number) => Promise<string>;
  /** id and label of records, for lists (after an id) and completion (matching a prefix). */
  list: (tx: Tx, afterId: number, limit: number) => Promise<{ id: number; label: string }[]>;
  complete: (tx: Tx, prefix: string, limit: number) => Promise<{ id: number; label: string }[]>;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

function kindOf(
  segment: LabelledKind,
  title: string,
  toolset: Toolset,
  read: RecordKind['read'],
  mimeType = 'application/json',
): RecordKind {
  return {
    segment,
    title,
    toolset,
    mimeType,
    read,
    list: (tx, afterId, limit) => listLabels(tx, segment, afterId, limit),
    complete: (tx, prefix, limit) => completeLabels(tx, segment, prefix, limit),
  };
}

export const RECORD_KINDS: RecordKind[] = [
  kindOf('documents', 'Document', 'rag', async (tx, id) => (await getDocument(tx, id)).content, 'text/markdown'),
  kindOf('customers', 'Customer', 'sales', async (tx, id) => json(await getCustomer(tx, id))),
  kindOf('orders', 'Order', 'sales', async (tx, id) => json(await getOrder(tx, id))),
  kindOf('invoices', 'Invoice', 'finance', async (tx, id) => json(await getInvoice(tx, id))),
];
