// A document's stored content: its documents row, its text in parts (documents.content the first,
// document_text_parts the rest: sql/020) and its chunks with their vectors. Chunking and embedding
// are src/rag's; this module only writes what it is given, in the caller's transaction.
import type { Tx } from '../../db/types.js';
import { conflict } from '../shared/errors.js';
import type { Actor, DocumentSource } from './documents.js';
import type { VectorsParam } from './models.js';

export interface DocumentFields {
  source: DocumentSource;
  path: string;
  module: string;
  tags: readonly string[];
  title: string;
  /** sha256 of the text: the same content embedded by the same model is not embedded again. */
  hash: string;
  modelId: number;
  actor: Actor;
}

/**
 * Writes the documents row of a new or changed document and returns its id; its old text and
 * chunks are dropped (its text follows part by part, appendText).
 */
export async function storeDocument(tx: Tx, existingId: number | undefined, doc: DocumentFields): Promise<number> {
  const values = [doc.module, doc.tags, doc.title, '', doc.hash, doc.modelId, doc.actor?.id ?? null];
  if (existingId !== undefined) {
    await tx.query(
      `update documents set module = $1, tags = $2, title = $3, content = $4, content_hash = $5, model_id = $6,
         ingested_by = $7, updated_at = now() where id = $8`,
      [...values, existingId],
    );
    await tx.query('delete from document_text_parts where document_id = $1', [existingId]);
    await tx.query('delete from document_chunks where document_id = $1', [existingId]);
    return existingId;
  }
  // Someone else's concurrent first ingest of this identity is not overwritten unchecked: this call retries instead.
  const [row] = await tx.query<{ id: number }>(
    `insert into documents (module, tags, title, content, content_hash, model_id, ingested_by, source, path)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     on conflict (source, path) do nothing returning id`,
    [...values, doc.source, doc.path],
  );
  if (!row) throw conflict(`Document ${doc.path} was ingested by another call at the same moment; retry the call`);
  return row.id;
}

/** Stores part `part` (0, 1, …) of a document's text: the first in documents.content, the others after it. */
export async function appendText(tx: Tx, documentId: number, part: number, text: string): Promise<void> {
  if (part === 0) await tx.query('update documents set content = $2 where id = $1', [documentId, text]);
  else
    await tx.query('insert into document_text_parts (document_id, part, content) values ($1, $2, $3)', [
      documentId,
      part,
      text,
    ]);
}

/** An unchanged document keeps its chunks; only its labels follow the new ingest. Returns its chunk count. */
export async function relabelDocument(
  tx: Tx,
  id: number,
  labels: { module: string; tags: readonly string[]; title: string },
): Promise<number> {
  const [row] = await tx.query<{ chunks: number }>(
    `with relabelled as (update documents set module = $2, tags = $3, title = $4 where id = $1)
     select count(*)::int as chunks from document_chunks where document_id = $1`,
    [id, labels.module, labels.tags, labels.title],
  );
  return row!.chunks;
}

export interface ChunkRow {
  text: string;
  heading: string | null;
  embedding: readonly number[];
}

/** Appends chunks numbered from `first` on, each with its vector from the document's model (see vectorsParam). */
export async function insertChunks(
  tx: Tx,
  documentId: number,
  modelId: number,
  first: number,
  chunks: readonly ChunkRow[],
  vectors: VectorsParam,
): Promise<void> {
  await tx.query(
    `insert into document_chunks (document_id, chunk_index, content, heading, embedding, model_id)
     select $1, $2::int + t.n - 1, t.c, t.h, t.e::vector, $6
     from unnest($3::text[], $4::text[], $5::${vectors.type}) with ordinality as t(c, h, e, n)`,
    [
      documentId,
      first,
      chunks.map((c) => c.text),
      chunks.map((c) => c.heading),
      vectors.encode(chunks.map((c) => c.embedding)),
      modelId,
    ],
  );
}

/** How many chunks the model has, leaving out one document's (the one being replaced). */
export async function modelChunkCount(tx: Tx, modelId: number, except: number | undefined): Promise<number> {
  const [row] = await tx.query<{ n: number }>(
    'select count(*)::int as n from document_chunks where model_id = $1 and document_id is distinct from $2',
    [modelId, except ?? null],
  );
  return row!.n;
}

/**
 * A large load writes its chunks without the model's HNSW index and builds it again before it
 * commits (sql/020): searches wait for the load (the index is dropped in its transaction) and
 * find it complete once it has committed.
 */
export async function suspendModelIndex(tx: Tx, modelId: number): Promise<void> {
  await tx.query('select erp_suspend_model_index($1)', [modelId]);
}

export async function rebuildModelIndex(tx: Tx, modelId: number): Promise<void> {
  await tx.query('select erp_rebuild_model_index($1)', [modelId]);
}

/** Merges the full-text entries new chunks left in the index's pending list (sql/015); once per ingest, before it commits. */
export async function mergeDocumentTerms(tx: Tx): Promise<void> {
  await tx.query('select erp_merge_document_terms()');
}

/**
 * Fresh statistics let search skip words that are in most chunks (informativeTerms in search.ts);
 * PGlite has no autovacuum to gather them on its own. Runs with the owner's rights (sql/007).
 */
export async function analyzeDocuments(tx: Tx): Promise<void> {
  await tx.query('select erp_analyze_documents()');
}
