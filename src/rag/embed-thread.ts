// The embedding model runs in a worker thread, so embedding overlaps with whatever the main
// thread does meanwhile (PGlite's WASM engine, a driver serialising the previous batch). The main
// thread sends texts; the worker answers with one Float32Array per request, transferred, not
// copied. An idle worker does not keep the process alive, and close() terminates it.
import { Worker } from 'node:worker_threads';

export interface EmbedThreadConfig {
  /** Absolute folder of models (…/shared/models), or undefined to let transformers.js fetch once. */
  modelDir?: string;
  model: string;
}

/** One request's vectors: `rows` vectors of `dimensions` numbers each, row after row. */
export interface EmbeddedBatch {
  data: Float32Array;
  rows: number;
  dimensions: number;
}

export class EmbedThreadError extends Error {
  constructor(
    message: string,
    /** The model could not be loaded (as opposed to one request failing). */
    readonly loading: boolean,
  ) {
    super(message);
    this.name = 'EmbedThreadError';
  }
}

// The worker's program is a string: it must run from the compiled package and from the TypeScript
// sources alike (tests), and it needs nothing of ours. transformers.js is passed as a resolved URL,
// so the worker finds the same copy as its parent whatever the working directory.
const PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
const BATCH = 64;
let loading;
const load = async () => {
  const { env, pipeline } = await import(workerData.transformers);
  if (workerData.modelDir) {
    env.localModelPath = workerData.modelDir.endsWith('/') ? workerData.modelDir : workerData.modelDir + '/';
    env.allowRemoteModels = false;
  }
  return pipeline('feature-extraction', workerData.model, { dtype: 'q8' });
};
const why = (e) => [e && e.message ? e.message : String(e), e && e.cause && e.cause.message].filter(Boolean).join(': ');
parentPort.on('message', async ({ id, texts }) => {
  let extractor;
  try {
    extractor = await (loading ??= load());
  } catch (e) {
    loading = undefined;
    parentPort.postMessage({ id, error: why(e), loading: true });
    return;
  }
  try {
    let data = null;
    let dimensions = 0;
    for (let i = 0; i < texts.length; i += BATCH) {
      const tensor = await extractor(texts.slice(i, i + BATCH), { pooling: 'mean', normalize: true });
      dimensions = tensor.dims[tensor.dims.length - 1];
      data ??= new Float32Array(texts.length * dimensions);
      data.set(tensor.data, i * dimensions);
    }
    data ??= new Float32Array(0);
    parentPort.postMessage({ id, data, rows: texts.length, dimensions }, [data.buffer]);
  } catch (e) {
    parentPort.postMessage({ id, error: why(e), loading: false });
  }
});
`;

interface Pending {
  resolve: (batch: EmbeddedBatch) => void;
  reject: (error: Error) => void;
}

export interface EmbedThread {
  embed(texts: string[]): Promise<EmbeddedBatch>;
  /** The thread has exited (closed or crashed): every embed rejects, start another. */
  readonly stopped: boolean;
  close(): Promise<void>;
}

export function startEmbedThread(config: EmbedThreadConfig): EmbedThread {
  const worker = new Worker(PROGRAM, {
    eval: true,
    workerData: {
      transformers: import.meta.resolve('@huggingface/transformers'),
      modelDir: config.modelDir,
      model: config.model,
    },
  });
  const pending = new Map<number, Pending>();
  let next = 0;
  let failed: Error | undefined;
  // Referenced only while a request is out: an idle embedder never holds the process open.
  worker.unref();
  const settle = (id: number) => {
    const p = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) worker.unref();
    return p;
  };
  worker.on('message', (m: { id: number; error?: string; loading?: boolean } & Partial<EmbeddedBatch>) => {
    const p = settle(m.id);
    if (m.error !== undefined) p?.reject(new EmbedThreadError(m.error, m.loading === true));
    else p?.resolve({ data: m.data!, rows: m.rows!, dimensions: m.dimensions! });
  });
  const fail = (error: Error) => {
    failed = error;
    for (const id of [...pending.keys()]) settle(id)?.reject(error);
  };
  worker.on('error', (e) => fail(new EmbedThreadError(e.message, false)));
  worker.on('exit', () => fail(new EmbedThreadError('the embedding thread has stopped', false)));
  return {
    get stopped() {
      return failed !== undefined;
    },
    embed(texts) {
      if (failed) return Promise.reject(failed);
      return new Promise<EmbeddedBatch>((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve, reject });
        worker.ref();
        worker.postMessage({ id, texts });
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
