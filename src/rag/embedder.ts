// Sentence embeddings with transformers.js (feature-extraction, mean pooling, L2-normalised),
// loaded lazily from a local model folder (ERP_MODEL_DIR) or, without one, fetched once by
// transformers.js into its cache. The pipeline is shared per process and model.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureExtractionPipeline } from '@huggingface/transformers';
import { DomainError } from '../domain/shared/errors.js';

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
}

/** The model cannot be loaded; the message says where it was looked for and what to set. */
export class ModelMissingError extends DomainError {
  constructor(message: string) {
    super('UNAVAILABLE', message);
    this.name = 'ModelMissingError';
  }
}

const pipelines = new Map<string, Promise<FeatureExtractionPipeline>>();

/** transformers.js itself is imported on first use: a server nobody asks to search never pays for it. */
async function loadPipeline(config: EmbedderConfig): Promise<FeatureExtractionPipeline> {
  const { env, pipeline } = await import('@huggingface/transformers');
  if (config.modelDir) {
    env.localModelPath = config.modelDir.endsWith('/') ? config.modelDir : `${config.modelDir}/`;
    env.allowRemoteModels = false;
  }
  try {
    return (await pipeline('feature-extraction', config.model, { dtype: 'q8' })) as FeatureExtractionPipeline;
  } catch (error) {
    const why = [error instanceof Error ? error.message : String(error), (error as { cause?: Error })?.cause?.message]
      .filter(Boolean)
      .join(': ');
    const where = config.modelDir
      ? `from ${join(config.modelDir, config.model)}`
      : 'from the Hugging Face hub (no ERP_MODEL_DIR set)';
    throw new ModelMissingError(
      `Embedding model ${config.model} could not be loaded ${where} (${why}); offline, set ERP_MODEL_DIR to a folder that holds the model and ERP_EMBED_MODEL to its id`,
    );
  }
}

function load(config: EmbedderConfig): Promise<FeatureExtractionPipeline> {
  const key = `${config.modelDir ?? ''}|${config.model}`;
  let loading = pipelines.get(key);
  if (!loading) {
    if (config.modelDir) {
      const folder = join(config.modelDir, config.model);
      if (!existsSync(join(folder, 'config.json'))) {
        throw new ModelMissingError(
          `Embedding model not found: ${folder} has no config.json; set ERP_MODEL_DIR to the folder that contains ${config.model}/`,
        );
      }
    }
    loading = loadPipeline(config);
    loading.catch(() => pipelines.delete(key));
    pipelines.set(key, loading);
  }
  return loading;
}

const BATCH = 64;

/**
 * A text with no word the model knows pools to a zero vector, which normalising turns into NaN:
 * such a text gets the zero vector, which callers read as "no vector evidence" (see isZeroVector).
 */
const finite = (v: number[]): number[] => (v.every(Number.isFinite) ? v : v.map(() => 0));

export const isZeroVector = (v: readonly number[] | undefined): boolean => !v || v.every((x) => x === 0);

export function createEmbedder(config: EmbedderConfig): Embedder {
  let dims: number | undefined;
  const embed = async (texts: string[]): Promise<number[][]> => {
    const extractor = await load(config);
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += BATCH) {
      const tensor = await extractor(texts.slice(i, i + BATCH), { pooling: 'mean', normalize: true });
      out.push(...(tensor.tolist() as number[][]).map(finite));
    }
    dims ??= out[0]?.length;
    return out;
  };
  return {
    model: config.model,
    path: config.modelDir ? join(config.modelDir, config.model) : `hub:${config.model}`,
    embed,
    dimensions: async () => dims ?? (await embed(['dimension probe']))[0]!.length,
  };
}
