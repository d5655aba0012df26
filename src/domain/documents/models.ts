// The embedding model in use is a model_registry row; chunks record which model made them, and
// each model has its own partial HNSW index on embedding::vector(N), made by the database when the
// row is inserted (sql/014): vectors of different models are never compared with each other.
import type { Tx } from '../../db/types.js';

export interface RegisteredModel {
  id: number;
  name: string;
  dimensions: number;
}

/** What identifies an embedding model: its name, where it was loaded from, and its vector size. */
export interface EmbeddingModel {
  name: string;
  path: string;
  dimensions: number;
}

/** The model's registry row, inserted (and so indexed) on first use; its version is its size. */
export async function registerModel(tx: Tx, model: EmbeddingModel): Promise<RegisteredModel> {
  const [row] = await tx.query<RegisteredModel>(
    `insert into model_registry (name, version, path, kind, dimensions) values ($1, $2, $3, 'embedding', $4)
     on conflict (name, version) do update set path = excluded.path
     returning id, name, dimensions`,
    [model.name, `${model.dimensions}d`, model.path, model.dimensions],
  );
  return row!;
}

/** The newest registered embedding model of this name, or undefined before its first ingest. */
export async function findModel(tx: Tx, name: string): Promise<RegisteredModel | undefined> {
  const [row] = await tx.query<RegisteredModel>(
    `select id, name, dimensions from model_registry
     where name = $1 and kind = 'embedding' and dimensions is not null order by id desc limit 1`,
    [name],
  );
  return row;
}

/** The vector literal pgvector reads. */
export const toVector = (v: readonly number[]) => `[${v.join(',')}]`;
