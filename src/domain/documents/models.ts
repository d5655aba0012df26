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

/**
 * The vector literal pgvector reads. Nine significant digits give back every float4 exactly (pgvector
 * stores float4) in two thirds of the characters of a double's shortest form, and parse faster.
 */
export const toVector = (v: readonly number[]) => `[${v.map((x) => x.toPrecision(9)).join(',')}]`;

/** How a batch of vectors travels as one vector[] parameter: its SQL type and its value. */
export interface VectorsParam {
  type: 'vector[]' | 'text[]';
  encode(vectors: readonly (readonly number[])[]): unknown;
}

/**
 * On PGlite in this process, vector[] in binary format (array_recv and vector_recv: no float text to
 * print in JS and parse in WASM, which is a third of a chunk's write); postgres.js sends text only,
 * so text[] there, whether PostgreSQL or a PGlite owner's socket is behind it.
 */
export async function vectorsParam(tx: Tx): Promise<VectorsParam> {
  if (!tx.binaryParams) return { type: 'text[]', encode: (vectors) => vectors.map(toVector) };
  const [row] = await tx.query<{ oid: number }>("select 'vector'::regtype::oid::int as oid");
  return { type: 'vector[]', encode: (vectors) => binaryVectors(row!.oid, vectors) };
}

/** PostgreSQL's binary array of vectors: array header, then per vector its length, dimensions and float4s, big-endian. */
function binaryVectors(elementOid: number, vectors: readonly (readonly number[])[]): Uint8Array {
  const size = vectors.reduce((n, v) => n + 8 + 4 * v.length, 20);
  const out = new DataView(new ArrayBuffer(size));
  out.setInt32(0, 1); // dimensions of the array
  out.setInt32(4, 0); // no nulls
  out.setInt32(8, elementOid);
  out.setInt32(12, vectors.length);
  out.setInt32(16, 1); // lower bound
  let at = 20;
  for (const v of vectors) {
    out.setInt32(at, 4 + 4 * v.length);
    out.setInt16(at + 4, v.length);
    out.setInt16(at + 6, 0);
    at += 8;
    for (const x of v) {
      out.setFloat32(at, x);
      at += 4;
    }
  }
  return new Uint8Array(out.buffer);
}
