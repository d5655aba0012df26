// Sentence embeddings with transformers.js (feature-extraction, mean pooling, L2-normalised),
// loaded lazily from a local model folder (ERP_MODEL_DIR) or, without one, fetched once by
// transformers.js into its cache. The model runs in a worker thread (embed-thread.ts), one per
// process and model, so ingest embeds the next batch while the database writes the last one.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '../domain/shared/errors.js';
import { type EmbedThread, EmbedThreadError, startEmbedThread } from './embed-thread.js';

export interface EmbedderConfig {
  /** Folder that holds <model>/config.json, e.g. ../shared/models; unset = download once. */
  modelDir?: string;
  /** Model id, e.g. local/glove-100d-sif or Xenova/all-MiniLM-L6-v2. */
  model: string;
}

export interface Embedder {
  readonly model: string;
  readonly path: string;
  /** Vector size, known after the first embed (or warm-up). */
  dimensions(): Promise<number>;
  embed(texts: string[]): Promise<number[][]>;
  /** Stops the model's thread (the next embed starts it again); an idle thread never keeps the process alive. */
  close(): Promise<void>;
}

/** The model cannot be loaded; the message says where it was looked for and what to set. */
export class ModelMissingError extends DomainError {
  constructor(message: string) {
    super('UNAVAILABLE', message);
    this.name = 'ModelMissingError';
  }
}

const threads = new Map<string, EmbedThread>();
const keyOf = (config: EmbedderConfig) => `${config.modelDir ?? ''}|${config.model}`;

function thread(config: EmbedderConfig): EmbedThread {
  const key = keyOf(config);
  let running = threads.get(key);
  if (!running) {
    if (config.modelDir) {
      const folder = join(config.modelDir, config.model);
      if (!existsSync(join(folder, 'config.json'))) {
        throw new ModelMissingError(
          `Embedding model not found: ${folder} has no config.json; set ERP_MODEL_DIR to the folder that contains ${config.model}/`,
        );
      }
    }
    running = startEmbedThread(config);
    threads.set(key, running);
  }
  return running;
}

function missing(config: EmbedderConfig, why: string): ModelMissingError {
  const where = config.modelDir
    ? `from ${join(config.modelDir, config.model)}`
    : 'from the Hugging Face hub (no ERP_MODEL_DIR set)';
  return new ModelMissingError(
    `Embedding model ${config.model} could not be loaded ${where} (${why}); offline, set ERP_MODEL_DIR to a folder that holds the model and ERP_EMBED_MODEL to its id`,
  );
}

/**
 * A text with no word the model knows pools to a zero vector, which normalising turns into NaN:
 * such a text gets the zero vector, which callers read as "no vector evidence" (see isZeroVector).
 */
const finite = (v: number[]): number[] => (v.every(Number.isFinite) ? v : v.map(() => 0));

export const isZeroVector = (v: readonly number[] | undefined): boolean => !v || v.every((x) => x === 0);

export function createEmbedder(config: EmbedderConfig): Embedder {
  let dims: number | undefined;
  const embed = async (texts: string[]): Promise<number[][]> => {
    const running = thread(config);
    let batch: Awaited<ReturnType<EmbedThread['embed']>>;
    try {
      batch = await running.embed(texts);
    } catch (error) {
      if (error instanceof EmbedThreadError && error.loading) throw missing(config, error.message);
      if (running.stopped && threads.get(keyOf(config)) === running) threads.delete(keyOf(config));
      throw error;
    }
    const out: number[][] = [];
    for (let r = 0; r < batch.rows; r++) {
      out.push(finite(Array.from(batch.data.subarray(r * batch.dimensions, (r + 1) * batch.dimensions))));
    }
    dims ??= out[0]?.length;
    return out;
  };
  return {
    model: config.model,
    path: config.modelDir ? join(config.modelDir, config.model) : `hub:${config.model}`,
    embed,
    dimensions: async () => dims ?? (await embed(['dimension probe']))[0]!.length,
    async close() {
      const running = threads.get(keyOf(config));
      threads.delete(keyOf(config));
      await running?.close();
    },
  };
}
