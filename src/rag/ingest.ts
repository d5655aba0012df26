// Ingests one document: extract → chunk → embed → store, documents row and all its chunks in
// the caller's transaction. Re-ingesting a path replaces its chunks; the same content embedded
// by the same model is skipped (content hash).
import { createHash } from 'node:crypto';
import type { Tx } from '../db/types.js';
import { invalid } from '../domain/shared/errors.js';
import { chunkText, type Chunk, type ChunkOptions } from './chunker.js';
import type { Embedder } from './embedder.js';
import { registerEmbeddingModel, toVector } from './models.js';

export interface IngestInput {
  path: string;
  text: string;
  module: string;
  tags?: string[];
  title?: string;
}

export interface IngestResult {
  document_id: number;
  path: string;
  title: string;
  chunks: number;
  skipped: boolean;
  model: string;
}

export type Progress = (done: number, total: number, message: string) => Promise<void> | void;

const EMBED_BATCH = 64;

const titleOf = (text: string, path: string) => /^#\s+(.+)$/m.exec(text)?.[1]?.trim() ?? path.split('/').pop()!.replace(/\.[^.]+$/, '');

/** Markdown table rows read as text ("Product Garden Hose 50 m, Price (USD) 64.90"), not as pipes. */
function tablesAsText(text: string): string {
  let header: string[] | null = null;
  return text.split('\n').map((line) => {
    if (!/^\s*\|.*\|\s*$/.test(line)) {
      header = null;
      return line;
    }
    const cells = line.trim().slice(1, -1).split('|').map((c) => c.trim());
    if (cells.every((c) => /^:?-+:?$/.test(c))) return '';
    if (!header) {
      header = cells;
      return '';
    }
    return `${cells.map((c, i) => `${header![i] ?? ''} ${c}`.trim()).join(', ')}.`;
  }).filter(Boolean).join('\n');
}

/**
 * What gets embedded: the chunk in its context (document title and section) with tables read as
 * text, so a terse chunk such as a price table still carries its subject.
 */
const embeddingText = (title: string, c: Chunk) =>
  [title, c.heading !== title ? c.heading : null, tablesAsText(c.text.replace(/^#+ .*\n/, ''))].filter(Boolean).join('\n');

export async function ingestDocument(tx: Tx, embedder: Embedder, input: IngestInput, options: ChunkOptions = {}, progress?: Progress): Promise<IngestResult> {
  const text = input.text.replaceAll('\u0000', '').toWellFormed();
  if (!text.trim()) throw invalid(`Document ${input.path} has no text to index`);
  const model = await registerEmbeddingModel(tx, embedder);
  const hash = createHash('sha256').update(text).digest('hex');
  const title = input.title ?? titleOf(text, input.path);
  const [existing] = await tx.query<{ id: number; content_hash: string; model_id: number }>(
    'select id, content_hash, model_id from documents where path = $1 for update', [input.path]);
  if (existing && existing.content_hash === hash && existing.model_id === model.id) {
    await tx.query('update documents set module = $2, tags = $3, title = $4 where id = $1', [existing.id, input.module, input.tags ?? [], title]);
    const [n] = await tx.query<{ n: number }>('select count(*)::int as n from document_chunks where document_id = $1', [existing.id]);
    return { document_id: existing.id, path: input.path, title, chunks: n!.n, skipped: true, model: model.name };
  }
  const chunks = chunkText(text, options);
  const [doc] = await tx.query<{ id: number }>(
    `insert into documents (module, path, tags, title, content, content_hash, model_id) values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (path) do update set module = excluded.module, tags = excluded.tags, title = excluded.title, content = excluded.content,
       content_hash = excluded.content_hash, model_id = excluded.model_id, updated_at = now()
     returning id`,
    [input.module, input.path, input.tags ?? [], title, text, hash, model.id]);
  await tx.query('delete from document_chunks where document_id = $1', [doc!.id]);
  await progress?.(0, chunks.length, `Embedding ${chunks.length} chunks of ${input.path}`);
  // Pipelined: batch k is written (index maintenance included) while batch k + 1 is embedded.
  let writing: Promise<unknown> = Promise.resolve();
  for (let i = 0; i < chunks.length; i += EMBED_BATCH) {
    const batch = chunks.slice(i, i + EMBED_BATCH);
    const vectors = await embedder.embed(batch.map((c) => embeddingText(title, c)));
    await writing;
    writing = tx.query(
      `insert into document_chunks (document_id, chunk_index, content, heading, embedding, model_id)
       select $1, $2::int + t.n - 1, t.c, t.h, t.e::vector, $6 from unnest($3::text[], $4::text[], $5::text[]) with ordinality as t(c, h, e, n)`,
      [doc!.id, i, batch.map((c) => c.text), batch.map((c) => c.heading), vectors.map(toVector), model.id]);
    writing.catch(() => {}); // awaited above on the next turn or below; this only keeps a failure handled meanwhile
    await progress?.(Math.min(i + EMBED_BATCH, chunks.length), chunks.length, `Embedded ${Math.min(i + EMBED_BATCH, chunks.length)}/${chunks.length}`);
  }
  await writing;
  return { document_id: doc!.id, path: input.path, title, chunks: chunks.length, skipped: false, model: model.name };
}
