// search_documents' query side: the query is embedded by the model in use and handed to the
// stored chunks' hybrid search (src/domain/documents/search.ts).
import type { Tx } from '../db/types.js';
import { type Hit, type SearchInput, searchChunks } from '../domain/documents/search.js';
import { type Embedder, isZeroVector } from './embedder.js';
import { embeddingModelOf } from './models.js';

export async function searchDocuments(tx: Tx, embedder: Embedder, input: SearchInput): Promise<Hit[]> {
  const model = await embeddingModelOf(tx, embedder);
  const [vector] = await embedder.embed([input.query]);
  // No word the model knows: no vector evidence, the full-text side alone ranks.
  return searchChunks(tx, model, isZeroVector(vector!) ? null : vector!, input);
}
