// Hybrid search over the stored chunks: nearest chunks by cosine distance (HNSW, only among
// chunks of the model in use) and best full-text matches (any informative query word, see
// informativeTerms), fused by reciprocal rank: score = Σ 1 / (60 + rank) over the two lists.
// Filters: module, and tags (all must match). Also the documents' listing, reading and deletion.
import type { Tx } from '../../db/types.js';
import { DomainError, notFound } from '../shared/errors.js';
import { decodeCursor, type Page, toPage } from '../shared/pagination.js';
import { type Actor, assertMayChange, type DocumentSource, lockDocumentById } from './documents.js';
import { type RegisteredModel, toVector } from './models.js';

export const RRF_K = 60;
const CANDIDATES = 50;
/** At most about this many full-text matches are ranked per query, however large the corpus. */
export const FULL_TEXT_BUDGET = 1000;

/**
 * The query's words worth a full-text rank, as a tsquery (`'a' | 'b'`), or '' for none. Lexemes
 * are kept rarest first while their estimated matches (ANALYZE's element frequencies for
 * document_chunks.tsv × rows) fit FULL_TEXT_BUDGET: a word in a large share of the chunks says
 * little about any of them (almost no IDF) and would cost a rank per match; the vector side still
 * sees it. Without statistics (small or never-analysed tables) every word is kept.
 */
async function informativeTerms(tx: Tx, query: string): Promise<string> {
  const [words] = await tx.query<{ lexemes: string[]; chunks: number }>(
    `select tsvector_to_array(to_tsvector('english', $1)) as lexemes,
       greatest((select reltuples from pg_class where oid = 'document_chunks'::regclass), 0)::float8 as chunks`,
    [query],
  );
  let kept = words!.lexemes;
  // An OR query cannot match more chunks than there are: small tables need no statistics.
  if (words!.chunks > FULL_TEXT_BUDGET && kept.length > 0) {
    const stats = await tx.query<{ lexeme: string; share: number }>(
      `select m.e as lexeme, m.f::float8 as share from pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) m(e, f)
       where s.schemaname = current_schema() and s.tablename = 'document_chunks' and s.attname = 'tsv' and m.e = any($1)`,
      [kept],
    );
    const estimate = (l: string) => (stats.find((r) => r.lexeme === l)?.share ?? 0) * words!.chunks;
    let running = 0;
    kept = [...kept]
      .sort((a, b) => estimate(a) - estimate(b) || (a < b ? -1 : 1))
      .filter((l) => {
        running += estimate(l);
        return running <= FULL_TEXT_BUDGET;
      });
  }
  return kept.map((l) => `'${l.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`).join(' | ');
}

export interface SearchInput {
  query: string;
  module?: string;
  tags?: string[];
  limit: number;
}

export interface Hit {
  document_id: number;
  source: DocumentSource;
  path: string;
  title: string | null;
  module: string;
  chunk_index: number;
  heading: string | null;
  text: string;
  score: number;
  vector_rank: number | null;
  text_rank: number | null;
  resource_uri: string;
}

/**
 * The chunks best matching a query: `vector` is the query embedded by `model` (src/rag embeds it),
 * or null when the model knew none of its words — then the full-text side alone ranks.
 */
export async function searchChunks(
  tx: Tx,
  model: RegisteredModel,
  vector: readonly number[] | null,
  input: SearchInput,
): Promise<Hit[]> {
  const vectorless = vector === null;
  // Model id and dimension are integers from model_registry, inlined so the planner matches the
  // model's partial HNSW index (where model_id = N, on embedding::vector(D)).
  const dims = Number(model.dimensions);
  const modelId = Number(model.id);
  const distance = `c.embedding::vector(${dims}) <=> $1::vector(${dims})`;
  const filtered = input.module !== undefined || (input.tags?.length ?? 0) > 0;
  const docFilter = '($4::text is null or d.module = $4) and ($5::text[] is null or d.tags @> $5)';
  const terms = await informativeTerms(tx, input.query);
  const fullText = `select c.id, row_number() over (order by ts_rank(c.tsv, $2::text::tsquery) desc, c.id) as r
       from document_chunks c ${filtered ? 'join documents d on d.id = c.document_id' : ''}
       where c.tsv @@ $2::text::tsquery and c.model_id = ${modelId} ${filtered ? `and ${docFilter}` : ''}
       order by ts_rank(c.tsv, $2::text::tsquery) desc, c.id limit ${CANDIDATES}`;
  await tx.query('set local hnsw.ef_search = 100');
  const rows = await tx.query<Omit<Hit, 'resource_uri'>>(
    `with vec as (${
      vectorless
        ? 'select null::int as id, null::bigint as r where false and $1::text is null and $4::text is null and $5::text[] is null'
        : `
       select id, row_number() over (order by dist) as r from (
         select c.id, ${distance} as dist from document_chunks c
         ${filtered ? `join documents d on d.id = c.document_id where c.model_id = ${modelId} and ${docFilter}` : `where c.model_id = ${modelId} and $4::text is null and $5::text[] is null`}
         order by ${distance} limit ${CANDIDATES}) nearest`
    }),
     fts as (${terms ? fullText : 'select null::int as id, null::bigint as r where $2::text is null'})
     select c.document_id, d.source, d.path, d.title, d.module, c.chunk_index, c.heading, c.content as text,
       (coalesce(1.0 / (${RRF_K} + vec.r), 0) + coalesce(1.0 / (${RRF_K} + fts.r), 0))::float8 as score,
       vec.r::int as vector_rank, fts.r::int as text_rank
     from document_chunks c join documents d on d.id = c.document_id
     left join vec on vec.id = c.id left join fts on fts.id = c.id
     where c.id = any(array(select id from vec union select id from fts))
     order by score desc, c.id limit $3`,
    [
      vector === null ? null : toVector(vector),
      terms,
      input.limit,
      input.module ?? null,
      input.tags?.length ? input.tags : null,
    ],
  );
  return rows.map((r) => ({
    ...r,
    score: Math.round(r.score * 1e6) / 1e6,
    resource_uri: `erp://documents/${r.document_id}`,
  }));
}

export interface DocumentSummary {
  id: number;
  module: string;
  source: DocumentSource;
  path: string;
  title: string | null;
  tags: string[];
  chunks: number;
  model: string | null;
  updated_at: string;
}

const SUMMARY = `select d.id, d.module, d.source, d.path, d.title, d.tags, (select count(*)::int from document_chunks c where c.document_id = d.id) as chunks,
  m.name as model, d.updated_at from documents d left join model_registry m on m.id = d.model_id`;

export async function listDocuments(
  tx: Tx,
  input: { module?: string; tag?: string; limit: number; cursor?: string },
): Promise<Page<DocumentSummary>> {
  const after = decodeCursor(input.cursor, ['number']);
  const rows = await tx.query<DocumentSummary>(
    `${SUMMARY} where ($1::text is null or d.module = $1) and ($2::text is null or $2 = any(d.tags)) and ($3::int is null or d.id > $3)
     order by d.id limit $4`,
    [input.module ?? null, input.tag ?? null, after?.[0] ?? null, input.limit + 1],
  );
  return toPage(
    rows,
    input.limit,
    (r) => [r.id],
    (r) => r,
  );
}

/** A document with its whole text: documents.content and the parts after it (sql/020), in order. */
export async function getDocument(tx: Tx, id: number): Promise<DocumentSummary & { content: string }> {
  const [row] = await tx.query<DocumentSummary & { content: string | null }>(
    `${SUMMARY.replace(
      'select d.id',
      `select d.content || coalesce((select string_agg(p.content, '' order by p.part) from document_text_parts p
         where p.document_id = d.id), '') as content, d.id`,
    )} where d.id = $1`,
    [id],
  );
  if (!row) throw notFound('Document', id);
  if (row.content === null) throw new DomainError('NOT_FOUND', `Document ${id} has no stored text`);
  return { ...row, content: row.content };
}

export async function deleteDocument(tx: Tx, id: number, actor: Actor): Promise<DocumentSummary> {
  const doc = await lockDocumentById(tx, id);
  if (!doc) throw notFound('Document', id);
  await assertMayChange(tx, doc, actor);
  const [row] = await tx.query<DocumentSummary>(`${SUMMARY} where d.id = $1`, [id]);
  await tx.query('delete from documents where id = $1', [id]);
  return row!;
}
