// Hybrid search: nearest chunks by cosine distance (HNSW, only among chunks of the model in use)
// and best full-text matches (any query word), fused by reciprocal rank:
// score = Σ 1 / (60 + rank) over the two lists. Filters: module, and tags (all must match).
import type { Tx } from '../db/types.js';
import { decodeCursor, toPage, type Page } from '../domain/shared/pagination.js';
import { DomainError, notFound } from '../domain/shared/errors.js';
import type { Embedder } from './embedder.js';
import { registerEmbeddingModel, toVector, type RegisteredModel } from './models.js';

export const RRF_K = 60;
const CANDIDATES = 50;

export interface SearchInput { query: string; module?: string; tags?: string[]; limit: number }

export interface Hit {
  document_id: number; path: string; title: string | null; module: string; chunk_index: number; heading: string | null;
  text: string; score: number; vector_rank: number | null; text_rank: number | null; resource_uri: string;
}

/** The registered row of the embedder's model, registering it (and its index) on first use. */
async function modelFor(tx: Tx, embedder: Embedder): Promise<RegisteredModel> {
  const [row] = await tx.query<RegisteredModel>("select id, name, dimensions from model_registry where name = $1 and kind = 'embedding' and dimensions is not null order by id desc limit 1", [embedder.model]);
  return row ?? registerEmbeddingModel(tx, embedder);
}

export async function searchDocuments(tx: Tx, embedder: Embedder, input: SearchInput): Promise<Hit[]> {
  const model = await modelFor(tx, embedder);
  const [vector] = await embedder.embed([input.query]);
  // Model id and dimension are integers from model_registry, inlined so the planner matches the
  // model's partial HNSW index (where model_id = N, on embedding::vector(D)).
  const dims = Number(model.dimensions);
  const modelId = Number(model.id);
  const distance = `c.embedding::vector(${dims}) <=> $1::vector(${dims})`;
  const filtered = input.module !== undefined || (input.tags?.length ?? 0) > 0;
  const docFilter = '($4::text is null or d.module = $4) and ($5::text[] is null or d.tags @> $5)';
  await tx.query('set local hnsw.ef_search = 100');
  const rows = await tx.query<Omit<Hit, 'resource_uri'>>(
    `with vec as (
       select id, row_number() over (order by dist) as r from (
         select c.id, ${distance} as dist from document_chunks c
         ${filtered ? `join documents d on d.id = c.document_id where c.model_id = ${modelId} and ${docFilter}` : `where c.model_id = ${modelId} and $4::text is null and $5::text[] is null`}
         order by ${distance} limit ${CANDIDATES}) nearest),
     words as (select replace(plainto_tsquery('english', $2)::text, '&', '|') as q),
     fts as (
       select c.id, row_number() over (order by ts_rank_cd(c.tsv, w.q::tsquery) desc, c.id) as r
       from document_chunks c join documents d on d.id = c.document_id, words w
       where w.q <> '' and c.tsv @@ w.q::tsquery and c.model_id = ${modelId} and ${docFilter}
       order by ts_rank_cd(c.tsv, w.q::tsquery) desc, c.id limit ${CANDIDATES})
     select c.document_id, d.path, d.title, d.module, c.chunk_index, c.heading, c.content as text,
       (coalesce(1.0 / (${RRF_K} + vec.r), 0) + coalesce(1.0 / (${RRF_K} + fts.r), 0))::float8 as score,
       vec.r::int as vector_rank, fts.r::int as text_rank
     from (select id from vec union select id from fts) ids
     join document_chunks c on c.id = ids.id join documents d on d.id = c.document_id
     left join vec on vec.id = c.id left join fts on fts.id = c.id
     order by score desc, c.id limit $3`,
    [toVector(vector!), input.query, input.limit, input.module ?? null, input.tags?.length ? input.tags : null]);
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
