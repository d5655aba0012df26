// An embedding model's HNSW index is schema the database makes when the model is registered
// (sql/014): the server's role runs no DDL and needs no function that does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerModel } from '../../src/domain/documents/models.js';
import { dbKinds, freshDb, type TestDb } from '../helpers/db.js';

const indexesOf = (db: TestDb) =>
  db.query<{ name: string; definition: string }>(
    `select indexname as name, indexdef as definition from pg_indexes
     where tablename = 'document_chunks' and indexname like 'document_chunks_hnsw_m%' order by indexname`,
  );

describe.each(dbKinds)('embedding model indexes on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await freshDb(kind);
  });
  afterAll(() => db.close());

  it('registering a model of a new size, as the server, gives it its own partial HNSW index', async () => {
    const model = await db.transaction((tx) => registerModel(tx, { name: 'test/seven', path: '/m', dimensions: 7 }));
    const mine = (await indexesOf(db)).find((i) => i.name === `document_chunks_hnsw_m${model.id}_idx`);
    expect(mine?.definition).toMatch(/USING hnsw \(\(\(embedding\)::vector\(7\)\) vector_cosine_ops\)/);
    expect(mine?.definition).toMatch(new RegExp(`WHERE \\(model_id = ${model.id}\\)`));
    // Registering it again (as every ingest does) keeps the one row and the one index.
    const again = await db.transaction((tx) => registerModel(tx, { name: 'test/seven', path: '/m2', dimensions: 7 }));
    expect(again.id).toBe(model.id);
    expect((await indexesOf(db)).filter((i) => i.name.includes(`_m${model.id}_`))).toHaveLength(1);
  });

  it('a model keeps its kind and size once registered, and the old DDL function is gone', async () => {
    const model = await db.transaction((tx) => registerModel(tx, { name: 'test/three', path: '/m', dimensions: 3 }));
    await expect(db.query('update model_registry set dimensions = 4 where id = $1', [model.id])).rejects.toThrow(
      /keeps its kind and dimensions/,
    );
    await db.query("update model_registry set path = '/elsewhere' where id = $1", [model.id]);
    const [fn] = await db.query<{ n: number }>(
      "select count(*)::int as n from pg_proc where proname = 'erp_ensure_model_index'",
    );
    expect(fn!.n).toBe(0);
  });

  it('refuses a size pgvector cannot index, writing nothing', async () => {
    await expect(
      db.transaction((tx) => registerModel(tx, { name: 'test/huge', path: '/m', dimensions: 20_000 })),
    ).rejects.toThrow(/invalid embedding model/);
    expect(await db.query("select id from model_registry where name = 'test/huge'")).toEqual([]);
  });
});
