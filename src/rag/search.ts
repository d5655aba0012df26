// Hybrid search: nearest chunks by cosine distance (HNSW, only among chunks of the model in use)
// and best full-text matches (any query word), fused by reciprocal rank:
// score = Σ 1 / (60 + rank) over the two lists. Filters: module, and tags (all must match).
import type { Tx } from '../db/types.js';
import { decodeCursor, toPage, type Page } from '../domain/shared/pagination.js';
import { DomainError, notFound } from '../domain/shared/errors.js';
import type { Embedder } from './embedder.js';
import { registerEmbeddingModel, toVector } from './models.js';

export const RRF_K = 60;
const CANDIDATES = 50;

export interface SearchInput { query: string; module?: string; tags?: string[]; limit: number }

export interface Hit {
  document_id: number; path: string; title: string | null; module: string; chunk_index: number; heading: string | null;
  text: string; score: number; vector_rank: number | null; text_rank: number | null; resource_uri: string;
}

export async function searchDocuments(tx: Tx, embedder: Embedder, input: SearchInput): Promise<Hit[]> {
  const model = await registerEmbeddingModel(tx, embedder);
  const [vector] = await embedder.embed([input.query]);
  const dims = model.dimensions;
  await tx.query('set local hnsw.ef_search = 100');
  const rows = await tx.query<Omit<Hit, 'resource_uri'>>(
    `with filtered as (
       select c.id from document_chunks c join documents d on d.id = c.document_id
       where c.model_id = $3 and ($4::text is null or d.module = $4) and ($5::text[] is null or d.tags @> $5)),
     vec as (
       select c.id, row_number() over (order by c.embedding::vector(${dims}) <=> $1::vector(${dims})) as r
       from document_chunks c where c.model_id = $3 and c.id in (select id from filtered)
       order by c.embedding::vector(${dims}) <=> $1::vector(${dims}) limit ${CANDIDATES}),
     words as (select replace(plainto_tsquery('english', $2)::text, '&', '|') as q),
     fts as (
       select c.id, row_number() over (order by ts_rank_cd(c.tsv, w.q::tsquery) desc, c.id) as r
       from document_chunks c, words w
       where w.q <> '' and c.tsv @@ w.q::tsquery and c.id in (select id from filtered)
       order by ts_rank_cd(c.tsv, w.q::tsquery) desc, c.id limit ${CANDIDATES})
     select c.document_id, d.path, d.title, d.module, c.chunk_index, c.heading, c.content as text,
       (coalesce(1.0 / (${RRF_K} + vec.r), 0) + coalesce(1.0 / (${RRF_K} + fts.r), 0))::float8 as score,
       vec.r::int as vector_rank, fts.r::int as text_rank
     from (select id from vec union select id from fts) ids
     join document_chunks c on c.id = ids.id join documents d on d.id = c.document_id
     left join vec on vec.id = c.id left join fts on fts.id = c.id
     order by score desc, c.id limit $6`,
    [toVector(vector!), input.query, model.id, input.module ?? null, input.tags?.length ? input.tags : null, input.limit]);
  return rows.map((r) => ({ ...r, score: Math.round(r.score * 1e6) / 1e6, resource_uri: `erp://documents/${r.document_id}` }));
}

export interface DocumentSummary { id: number; module: string; path: string; title: string | null; tags: string[]; chunks: number; model: string | null; updated_at: string }

const SUMMARY = `select d.id, d.module, d.path, d.title, d.tags, (select count(*)::int from document_chunks c where c.document_id = d.id) as chunks,
  m.name as model, d.updated_at from documents d left join model_registry m on m.id = d.model_id`;

export async function listDocuments(tx: Tx, input: { module?: string; tag?: string; limit: number; cursor?: string }): Promise<Page<DocumentSummary>> {
  const after = decodeCursor(input.cursor, ['number']);
  const rows = await tx.query<DocumentSummary>(
    `${SUMMARY} where ($1::text is null or d.module = $1) and ($2::text is null or $2 = any(d.tags)) and ($3::int is null or d.id > $3)
     order by d.id limit $4`, [input.module ?? null, input.tag ?? null, after?.[0] ?? null, input.limit + 1]);
  return toPage(rows, input.limit, (r) => [r.id], (r) => r);
}

export async function getDocument(tx: Tx, id: number): Promise<DocumentSummary & { content: string }> {
  const [row] = await tx.query<DocumentSummary & { content: string | null }>(`${SUMMARY.replace('select d.id', 'select d.content, d.id')} where d.id = $1`, [id]);
  if (!row) throw notFound('Document', id);
  if (row.content === null) throw new DomainError('NOT_FOUND', `Document ${id} has no stored text`);
  return { ...row, content: row.content };
}

export async function deleteDocument(tx: Tx, id: number): Promise<DocumentSummary> {
  const [row] = await tx.query<DocumentSummary>(`${SUMMARY} where d.id = $1`, [id]);
  if (!row) throw notFound('Document', id);
  await tx.query('delete from documents where id = $1', [id]);
  return row;
}
