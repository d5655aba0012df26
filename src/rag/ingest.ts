// Ingests one document: extract → chunk → embed → store (src/domain/documents/content.ts), the
// documents row and all its chunks in the caller's transaction. Re-ingesting the same identity
// (source and path, see src/domain/documents/documents.ts) replaces its chunks, if the actor may;
// the same content embedded by the same model is skipped (content hash).
import { createHash } from 'node:crypto';
import type { Tx } from '../db/types.js';
import { insertChunks, mergeDocumentTerms, relabelDocument, storeDocument } from '../domain/documents/content.js';
import { type Actor, assertMayChange, type DocumentSource, lockDocumentByPath } from '../domain/documents/documents.js';
import { vectorsParam } from '../domain/documents/models.js';
import { invalid } from '../domain/shared/errors.js';
import { type Chunk, type ChunkOptions, chunkText } from './chunker.js';
import type { Embedder } from './embedder.js';
import { registerEmbeddingModel } from './models.js';

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
    const chunks = await relabelDocument(tx, existing.id, { module: input.module, tags: input.tags ?? [], title });
    return { ...result, document_id: existing.id, chunks, skipped: true };
  }
  const docId = await storeDocument(tx, existing?.id, {
    source: input.source,
    path,
    module: input.module,
    tags: input.tags ?? [],
    title,
    text,
    hash,
    modelId: model.id,
    actor: input.actor,
  });
  const chunks = chunkText(text, options);
  await progress?.(0, chunks.length, `Embedding ${chunks.length} chunks of ${path}`);
  // Pipelined: the embedding thread works on batch k + 1 while batch k is written (index
  // maintenance included) on this thread or by the database server.
  const vectorsAs = await vectorsParam(tx);
  const embedFrom = (i: number) => embedder.embed(chunks.slice(i, i + EMBED_BATCH).map((c) => embeddingText(title, c)));
  let embedding = embedFrom(0);
  let writing: Promise<unknown> = Promise.resolve();
  for (let i = 0; i < chunks.length; i += EMBED_BATCH) {
    const vectors = await embedding;
    if (i + EMBED_BATCH < chunks.length) {
      embedding = embedFrom(i + EMBED_BATCH);
      embedding.catch(() => {}); // awaited on the next turn; this only keeps a failure handled if a write fails first
    }
    const batch = chunks.slice(i, i + EMBED_BATCH);
    await writing;
    writing = insertChunks(
      tx,
      docId,
      model.id,
      i,
      batch.map((c, k) => ({ text: c.text, heading: c.heading, embedding: vectors[k]! })),
      vectorsAs,
    );
    writing.catch(() => {}); // awaited above on the next turn or below; this only keeps a failure handled meanwhile
    await progress?.(
      Math.min(i + EMBED_BATCH, chunks.length),
      chunks.length,
      `Embedded ${Math.min(i + EMBED_BATCH, chunks.length)}/${chunks.length}`,
    );
  }
  await writing;
  await mergeDocumentTerms(tx);
  return { ...result, document_id: docId, chunks: chunks.length, skipped: false };
}
