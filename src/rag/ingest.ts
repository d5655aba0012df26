// Ingests one document: its text in parts → chunk → embed → store (src/domain/documents/content.ts),
// the documents row, its text and all its chunks in the caller's transaction, part by part, so a
// huge file is never held whole (document-text.ts, embed-pipeline.ts). Re-ingesting the same identity
// (source and path, see src/domain/documents/documents.ts) replaces its chunks, if the actor may;
// the same content embedded by the same model is skipped (content hash).
import type { Tx } from '../db/types.js';
import {
  appendText,
  mergeDocumentTerms,
  modelChunkCount,
  rebuildModelIndex,
  relabelDocument,
  storeDocument,
  suspendModelIndex,
} from '../domain/documents/content.js';
import { type Actor, assertMayChange, type DocumentSource, lockDocumentByPath } from '../domain/documents/documents.js';
import { vectorsParam } from '../domain/documents/models.js';
import { invalid } from '../domain/shared/errors.js';
import { type Chunk, Chunker, type ChunkOptions } from './chunker.js';
import { type DocumentText, wholeText } from './document-text.js';
import { EmbedPipeline } from './embed-pipeline.js';
import type { Embedder } from './embedder.js';
import { registerEmbeddingModel } from './models.js';

interface IngestCommon {
  /** The text whole, or in parts (a file read as it is ingested, files.ts). */
  text: string | DocumentText;
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

/**
 * A document of at least this many chunks, and at least as many as the model's others, is a
 * large load: its chunks are written without the model's HNSW index, which is built again before
 * the transaction commits (sql/020), for 3–4× less work than inserting each chunk into the graph.
 */
const LARGE_LOAD = 256;

const titleOf = (text: DocumentText, path: string) =>
  text.heading ??
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
  const text = typeof input.text === 'string' ? wholeText(input.text) : input.text;
  const path = input.path ?? textName(input.title, text.hash);
  if (text.blank) throw invalid(`Document ${path} has no text to index`);
  const existing = await lockDocumentByPath(tx, input.source, path);
  if (existing) await assertMayChange(tx, existing, input.actor);
  const model = await registerEmbeddingModel(tx, embedder);
  const title = input.title ?? titleOf(text, path);
  const result = { source: input.source, path, title, model: model.name };
  if (existing && existing.content_hash === text.hash && existing.model_id === model.id) {
    const chunks = await relabelDocument(tx, existing.id, { module: input.module, tags: input.tags ?? [], title });
    return { ...result, document_id: existing.id, chunks, skipped: true };
  }
  // Decided before any chunk is written, from the text's length: chunks hold at most `size` characters.
  const expected = Math.ceil(text.length / (options.size ?? 1000));
  const large = expected >= LARGE_LOAD && expected >= (await modelChunkCount(tx, model.id, existing?.id));
  if (large) await suspendModelIndex(tx, model.id);
  const docId = await storeDocument(tx, existing?.id, {
    source: input.source,
    path,
    module: input.module,
    tags: input.tags ?? [],
    title,
    hash: text.hash,
    modelId: model.id,
    actor: input.actor,
  });
  await progress?.(0, expected, `Embedding about ${expected} chunks of ${path}`);
  const pipeline = new EmbedPipeline(tx, embedder, {
    documentId: docId,
    modelId: model.id,
    vectors: await vectorsParam(tx),
    embeddingText: (c) => embeddingText(title, c),
    written: (n) => progress?.(n, Math.max(n, expected), `Embedded ${n} chunks`),
  });
  const chunker = new Chunker(options);
  let part = 0;
  for await (const piece of text.parts()) {
    await appendText(tx, docId, part++, piece);
    await pipeline.add(chunker.push(piece));
  }
  await pipeline.add(chunker.end());
  const chunks = await pipeline.finish();
  if (large) await rebuildModelIndex(tx, model.id);
  await mergeDocumentTerms(tx);
  return { ...result, document_id: docId, chunks, skipped: false };
}
