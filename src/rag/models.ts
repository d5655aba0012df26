// The registry row of an embedder's model (src/domain/documents/models.ts), registered on first use.
import type { Tx } from '../db/types.js';
import { findModel, type RegisteredModel, registerModel } from '../domain/documents/models.js';
import type { Embedder } from './embedder.js';

export async function registerEmbeddingModel(tx: Tx, embedder: Embedder): Promise<RegisteredModel> {
  return registerModel(tx, { name: embedder.model, path: embedder.path, dimensions: await embedder.dimensions() });
}

/** The embedder's model as registered, registering it if no document has used it yet. */
export async function embeddingModelOf(tx: Tx, embedder: Embedder): Promise<RegisteredModel> {
  return (await findModel(tx, embedder.model)) ?? registerEmbeddingModel(tx, embedder);
}
