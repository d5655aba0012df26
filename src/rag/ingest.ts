// Ingests one document: extract → chunk → embed → store, documents row and all its chunks in
// the caller's transaction. Re-ingesting the same identity (source and path, see documents.ts)
// replaces its chunks, if the actor may; the same content embedded by the same model is skipped
// (content hash).
import { createHash } from 'node:crypto';
import type { Tx } from '../db/types.js';
import { conflict, invalid } from '../domain/shared/errors.js';
import { chunkText, type Chunk, type ChunkOptions } from './chunker.js';
import { assertMayChange, lockDocumentByPath, type Actor, type DocumentSource } from './documents.js';
import type { Embedder } from './embedder.js';
import { registerEmbeddingModel, toVector } from './models.js';

interface IngestCommon {
  text: string;
  module: string;
  tags?: string[];
  title?: string;
  actor: Actor;
}

/** A file's path is its canonical path under the root; a text upload's is a name, by default its title or content hash. */
export type IngestInput = IngestCommon & ({ source: 'file'; path: string } | { source: 'text'; path?: string });

export interface IngestResult {
  document_id: number;
  source: DocumentSource;
  path: string;
  title: string;
  chunks: number;
  skipped: boolean;
  model: string;
}

export type Progress = (done: number, total: number, message: string) => Promise<void> | void;

const EMBED_BATCH = 64;

const titleOf = (text: string, path: string) =>
  /^#\s+(.+)$/m.exec(text)?.[1]?.trim() ??
  path
    .split('/')
    .pop()!
    .replace(/\.[^.]+$/, '');

/** Markdown table rows read as text ("Product Garden Hose 50 m, Price (USD) 64.90"), not as pipes. */
function tablesAsText(text: string): string {
  let header: string[] | null = null;
  return text
    .split('\n')
    .map((line) => {
      if (!/^\s*\|.*\|\s*$/.test(line)) {
        header = null;
        return line;
      }
      const cells = line
        .trim()
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim());
      if (cells.every((c) => /^:?-+:?$/.test(c))) return '';
      if (!header) {
        header = cells;
        return '';
      }
      return `${cells.map((c, i) => `${header![i] ?? ''} ${c}`.trim()).join(', ')}.`;
    })
    .filter(Boolean)
    .join('\n');
}

/**
 * What gets embedded: the chunk in its context (document title and section) with tables read as
 * text, so a terse chunk such as a price table still carries its subject.
 */
const embeddingText = (title: string, c: Chunk) =>
  [title, c.heading !== title ? c.heading : null, tablesAsText(c.text.replace(/^#+ .*\n/, ''))]
    .filter(Boolean)
    .join('\n');

const textName = (title: string | undefined, hash: string) =>
  title
    ?.toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || `untitled-${hash.slice(0, 12)}`;

/** Writes the documents row of a new or changed document and returns its id; the old chunks are the caller's to drop. */
async function storeDocument(
  tx: Tx,
  existingId: number | undefined,
  input: IngestInput,
  row: { path: string; title: string; text: string; hash: string; modelId: number },
): Promise<number> {
  const values = [input.module, input.tags ?? [], row.title, row.text, row.hash, row.modelId, input.actor?.id ?? null];
  if (existingId !== undefined) {
    await tx.query(
      `update documents set module = $1, tags = $2, title = $3, content = $4, content_hash = $5, model_id = $6, ingested_by = $7,
      updated_at = now() where id = $8`,
      [...values, existingId],
    );
    return existingId;
  }
  // Someone else's concurrent first ingest of this identity is not overwritten unchecked: this call retries instead.
  const [doc] = await tx.query<{ id: number }>(
    `insert into documents (module, tags, title, content, content_hash, model_id, ingested_by, source, path) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     on conflict (source, path) do nothing returning id`,
    [...values, input.source, row.path],
  );
  if (!doc) throw conflict(`Document ${row.path} was ingested by another call at the same moment; retry the call`);
  return doc.id;
}

export async function ingestDocument(
  tx: Tx,
  embedder: Embedder,
  input: IngestInput,
  options: ChunkOptions = {},
  progress?: Progress,
): Promise<IngestResult> {
  const text = input.text.replaceAll('\u0000', '').toWellFormed();
  const hash = createHash('sha256').update(text).digest('hex');
  const path = input.path ?? textName(input.title, hash);
  if (!text.trim()) throw invalid(`Document ${path} has no text to index`);
  const existing = await lockDocumentByPath(tx, input.source, path);
  if (existing) await assertMayChange(tx, existing, input.actor);
  const model = await registerEmbeddingModel(tx, embedder);
  const title = input.title ?? titleOf(text, path);
  const result = { source: input.source, path, title, model: model.name };
  if (existing && existing.content_hash === hash && existing.model_id === model.id) {
    await tx.query('update documents set module = $2, tags = $3, title = $4 where id = $1', [
      existing.id,
      input.module,
      input.tags ?? [],
      title,
    ]);
    const [n] = await tx.query<{ n: number }>('select count(*)::int as n from document_chunks where document_id = $1', [
      existing.id,
    ]);
    return { ...result, document_id: existing.id, chunks: n!.n, skipped: true };
  }
  const docId = await storeDocument(tx, existing?.id, input, { path, title, text, hash, modelId: model.id });
  const chunks = chunkText(text, options);
  await tx.query('delete from document_chunks where document_id = $1', [docId]);
  await progress?.(0, chunks.length, `Embedding ${chunks.length} chunks of ${path}`);
  // Pipelined: batch k is written (index maintenance included) while batch k + 1 is embedded.
  let writing: Promise<unknown> = Promise.resolve();
  for (let i = 0; i < chunks.length; i += EMBED_BATCH) {
    const batch = chunks.slice(i, i + EMBED_BATCH);
    const vectors = await embedder.embed(batch.map((c) => embeddingText(title, c)));
    await writing;
    writing = tx.query(
      `insert into document_chunks (document_id, chunk_index, content, heading, embedding, model_id)
       select $1, $2::int + t.n - 1, t.c, t.h, t.e::vector, $6 from unnest($3::text[], $4::text[], $5::text[]) with ordinality as t(c, h, e, n)`,
      [docId, i, batch.map((c) => c.text), batch.map((c) => c.heading), vectors.map(toVector), model.id],
    );
    writing.catch(() => {}); // awaited above on the next turn or below; this only keeps a failure handled meanwhile
    await progress?.(
      Math.min(i + EMBED_BATCH, chunks.length),
      chunks.length,
      `Embedded ${Math.min(i + EMBED_BATCH, chunks.length)}/${chunks.length}`,
    );
  }
  await writing;
  return { ...result, document_id: docId, chunks: chunks.length, skipped: false };
}
