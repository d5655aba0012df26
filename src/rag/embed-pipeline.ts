// Embeds a document's chunks and writes them, batch by batch, as the chunker gives them: the
// embedding thread works AHEAD batches in front of the database, which writes one batch while the
// next ones embed (PGlite's engine runs on this thread, PostgreSQL in its own process). What waits
// in between is bounded by AHEAD × EMBED_BATCH chunks, however long the document.
import type { Tx } from '../db/types.js';
import { type ChunkRow, insertChunks } from '../domain/documents/content.js';
import type { VectorsParam } from '../domain/documents/models.js';
import type { Chunk } from './chunker.js';
import type { Embedder } from './embedder.js';

export const EMBED_BATCH = 64;
/** Batches sent to the embedding thread before the oldest is written: it never waits on the database. */
const AHEAD = 3;

export interface PipelineTarget {
  documentId: number;
  modelId: number;
  vectors: VectorsParam;
  /** What gets embedded for a chunk (its text in context), as opposed to what is stored. */
  embeddingText: (chunk: Chunk) => string;
  /** Called after each batch is written, with the chunks written so far. */
  written?: (chunks: number) => Promise<void> | void;
}

const handled = <T>(p: Promise<T>) => {
  p.catch(() => {}); // awaited later, in order; this only keeps a failure handled meanwhile
  return p;
};

export class EmbedPipeline {
  private batch: Chunk[] = [];
  private readonly embedding: { chunks: Chunk[]; vectors: Promise<number[][]> }[] = [];
  private writing: Promise<unknown> = Promise.resolve();
  private count = 0;

  constructor(
    private readonly tx: Tx,
    private readonly embedder: Embedder,
    private readonly target: PipelineTarget,
  ) {}

  /** Chunks in order; resolves once the pipeline has room for more. */
  async add(chunks: readonly Chunk[]): Promise<void> {
    for (const chunk of chunks) {
      this.batch.push(chunk);
      if (this.batch.length === EMBED_BATCH) await this.send();
    }
  }

  /** Writes what is left; resolves when every chunk is written. Returns how many. */
  async finish(): Promise<number> {
    if (this.batch.length > 0) await this.send();
    while (this.embedding.length > 0) await this.writeOldest();
    await this.writing;
    return this.count;
  }

  private async send(): Promise<void> {
    const chunks = this.batch;
    this.batch = [];
    this.embedding.push({ chunks, vectors: handled(this.embedder.embed(chunks.map(this.target.embeddingText))) });
    if (this.embedding.length > AHEAD) await this.writeOldest();
  }

  private async writeOldest(): Promise<void> {
    const { chunks, vectors } = this.embedding.shift()!;
    const rows: ChunkRow[] = (await vectors).map((embedding, k) => ({
      text: chunks[k]!.text,
      heading: chunks[k]!.heading,
      embedding,
    }));
    await this.writing;
    const first = this.count;
    this.count += rows.length;
    const { documentId, modelId, vectors: as, written } = this.target;
    this.writing = handled(
      insertChunks(this.tx, documentId, modelId, first, rows, as).then(() => written?.(first + rows.length)),
    );
  }
}
