// A document's identity and ownership. Identity: its source ('file', a canonical path under
// ERP_DOCS_DIR, or 'text', a name a client gave its upload: separate namespaces) and that path;
// its content hash says whether it changed. Ownership: who ingested the current content, and the
// rule that replacing or deleting someone else's document takes the rag admin permission (issue 13).
import type { Tx } from '../../db/types.js';
import type { Role, User } from '../platform/users.js';
import { DomainError } from '../shared/errors.js';

export type DocumentSource = 'file' | 'text';

/** The acting MCP user; null for the operator's own command line (erp-mcp ingest, the demo seed). */
export type Actor = Pick<User, 'id' | 'role'> | null;

/** Roles holding the rag admin permission: they manage every document, whoever ingested it. */
export const RAG_ADMIN_ROLES: readonly Role[] = ['admin'];

export interface StoredDocument {
  id: number;
  path: string;
  content_hash: string | null;
  model_id: number | null;
  ingested_by: number | null;
}

const COLUMNS = 'id, path, content_hash, model_id, ingested_by';

/** The document with this identity, locked for the rest of the transaction, or undefined. */
export async function lockDocumentByPath(
  tx: Tx,
  source: DocumentSource,
  path: string,
): Promise<StoredDocument | undefined> {
  const [row] = await tx.query<StoredDocument>(
    `select ${COLUMNS} from documents where source = $1 and path = $2 for update`,
    [source, path],
  );
  return row;
}

export async function lockDocumentById(tx: Tx, id: number): Promise<StoredDocument | undefined> {
  const [row] = await tx.query<StoredDocument>(`select ${COLUMNS} from documents where id = $1 for update`, [id]);
  return row;
}

/** Refuses an actor who may not replace or delete this document: not its ingester and no rag admin. */
export async function assertMayChange(tx: Tx, doc: StoredDocument, actor: Actor): Promise<void> {
  if (actor === null || doc.ingested_by === actor.id || RAG_ADMIN_ROLES.includes(actor.role)) return;
  const [owner] =
    doc.ingested_by === null
      ? []
      : await tx.query<{ email: string }>('select email from users where id = $1', [doc.ingested_by]);
  const by = owner ? owner.email : 'the server operator (erp-mcp ingest)';
  throw new DomainError(
    'FORBIDDEN',
    `Document ${doc.id} (${doc.path}) was ingested by ${by}; only an admin may replace or delete it`,
  );
}
