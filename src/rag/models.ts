// The embedding model in use is a model_registry row; chunks record which model made them, and
// each model has its own partial HNSW index on embedding::vector(N) — vectors of different
// models are never compared with each other.
import type { Tx } from '../db/types.js';
import type { Embedder } from './embedder.js';

export interface RegisteredModel {
  id: number;
  name: string;
  dimensions: number;
}

export async function registerEmbeddingModel(tx: Tx, embedder: Embedder): Promise<RegisteredModel> {
  const dimensions = await embedder.dimensions();
  const [row] = await tx.query<RegisteredModel>(
    `insert into model_registry (name, version, path, kind, dimensions) values ($1, $2, $3, 'embedding', $4)
     on conflict (name, version) do update set path = excluded.path
     returning id, name, dimensions`,
    [embedder.model, `${dimensions}d`, embedder.path, dimensions],
  );
  const model = row!;
  // DDL with the owner's rights (sql/007): the server's own role owns no table.
  await tx.query('select erp_ensure_model_index($1, $2)', [model.id, model.dimensions]);
  return model;
}

/** The vector literal pgvector reads. */
export const toVector = (v: number[]) => `[${v.join(',')}]`;
