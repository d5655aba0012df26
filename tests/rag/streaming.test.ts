// A file of several megabytes is read, stored and chunked in parts (issue 18): what it must come
// to is the same as ingesting its whole text — the document complete, byte for byte, its chunks
// those of the whole text, searchable; re-ingest replaces every part; a failure midway (the file
// changed between the two reads, the model failing on a later batch) leaves nothing half-written.
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkText } from '../../src/rag/chunker.js';
import { PART_LENGTH } from '../../src/rag/document-text.js';
import type { Embedder } from '../../src/rag/embedder.js';
import { openDocumentFile } from '../../src/rag/files.js';
import { ingestDocument } from '../../src/rag/ingest.js';
import { dbKinds, freshDb, type TestDb } from '../helpers/db.js';
import { connect, testEmbedder, type TestClient } from '../helpers/mcp.js';

interface Ingested {
  document_id: number;
  chunks: number;
  skipped: boolean;
}

/** A manual of `sections` sections; each names its own code word, so a search can find one section. */
const manual = (sections: number, edition = 1) =>
  `# Warehouse manual, edition ${edition}\r\n\r\n${Array.from(
    { length: sections },
    (_, i) =>
      `## Section ${i}\n\nThe pallet rack in aisle ${i} holds stock code qx${i}z. ${'Forklift drivers check the load, the brakes and the mast before every shift. '.repeat(12)}\n\nÜberprüfung 🚚 done.`,
  ).join('\n\n')}\n`;

const SIZE = 3600; // sections: about 3.7 MB, four reads of 1 MiB and four stored parts

describe.each(dbKinds)('a multi-megabyte file on %s', (kind) => {
  let db: TestDb;
  let root: string;
  let mcp: TestClient;
  const folder = () => ({ root });

  beforeAll(async () => {
    db = await freshDb(kind);
    root = await realpath(await mkdtemp(join(tmpdir(), 'erp-stream-')));
    mcp = await connect(db, { rag: { embedder: testEmbedder, docsRoot: root } });
  });
  afterAll(async () => {
    await mcp?.close();
    await db?.close();
    await rm(root, { recursive: true, force: true });
  });

  const text = manual(SIZE);
  const wholeDocument = async (id: number) =>
    (
      (await mcp.client.readResource({ uri: `erp://documents/${id}` })).contents[0] as {
        text: string;
      }
    ).text;

  it('is stored whole in parts, its chunks those of the whole text, and found by search', async () => {
    expect(text.length).toBeGreaterThan(3 * PART_LENGTH);
    await writeFile(join(root, 'manual.md'), text);
    const r = await mcp.ok<Ingested>('ingest_document', { path: 'manual.md', module: 'ops' });
    const expected = chunkText(text);
    expect(r.chunks).toBe(expected.length);
    const stored = await db.query<{ chunk_index: number; heading: string | null; content: string }>(
      'select chunk_index, heading, content from document_chunks where document_id = $1 order by chunk_index',
      [r.document_id],
    );
    expect(stored).toEqual(expected.map((c) => ({ chunk_index: c.index, heading: c.heading, content: c.text })));
    expect(await wholeDocument(r.document_id)).toBe(text);
    const [parts] = await db.query<{ n: number }>(
      'select count(*)::int as n from document_text_parts where document_id = $1',
      [r.document_id],
    );
    expect(parts!.n).toBeGreaterThanOrEqual(3);
    const { hits } = await mcp.ok<{ hits: { document_id: number; heading: string }[] }>('search_documents', {
      query: `qx${SIZE - 7}z`, // a word the model does not know: found by full text alone
      limit: 3,
    });
    expect(hits[0]).toMatchObject({ document_id: r.document_id, heading: `Section ${SIZE - 7}` });
    // The load was large, so its model's HNSW index was built again before it committed.
    const indexes = await db.query<{ n: number }>(
      "select count(*)::int as n from pg_indexes where tablename = 'document_chunks' and indexname like 'document_chunks_hnsw_m%'",
    );
    expect(indexes).toEqual([{ n: 1 }]);
  });

  it('is skipped when unchanged, and replaced part by part when changed', async () => {
    const unchanged = await mcp.ok<Ingested>('ingest_document', { path: 'manual.md', module: 'ops' });
    expect(unchanged.skipped).toBe(true);
    const shorter = manual(SIZE / 2, 2);
    await writeFile(join(root, 'manual.md'), shorter);
    const changed = await mcp.ok<Ingested>('ingest_document', { path: 'manual.md', module: 'ops' });
    expect(changed).toMatchObject({ document_id: unchanged.document_id, skipped: false });
    expect(changed.chunks).toBe(chunkText(shorter).length);
    expect(await wholeDocument(changed.document_id)).toBe(shorter);
    const [{ max }] = (await db.query(
      'select max(chunk_index)::int as max from document_chunks where document_id = $1',
      [changed.document_id],
    )) as [{ max: number }];
    expect(max).toBe(changed.chunks - 1);
  });

  it('leaves the stored document as it was when the file changes between its two reads', async () => {
    const before = await snapshot(db, 'manual.md');
    await writeFile(join(root, 'manual.md'), manual(SIZE / 2, 3));
    const opened = await openDocumentFile(folder(), 'manual.md'); // read once: edition 3, not the stored one
    await writeFile(join(root, 'manual.md'), manual(SIZE / 2, 4));
    await expect(
      db.transaction((tx) =>
        ingestDocument(tx, testEmbedder, { source: 'file', ...opened, module: 'ops', actor: null }),
      ),
    ).rejects.toThrow('changed while it was being ingested; try again');
    expect(await snapshot(db, 'manual.md')).toEqual(before);
  });

  it('leaves nothing of a new document when embedding fails on a later batch', async () => {
    await writeFile(join(root, 'second.md'), manual(SIZE / 3, 4));
    let calls = 0;
    const failing: Embedder = {
      ...testEmbedder,
      embed: (texts) => (++calls > 5 ? Promise.reject(new Error('model crashed')) : testEmbedder.embed(texts)),
    };
    const opened = await openDocumentFile(folder(), 'second.md');
    await expect(
      db.transaction((tx) => ingestDocument(tx, failing, { source: 'file', ...opened, module: 'ops', actor: null })),
    ).rejects.toThrow('model crashed');
    expect(calls).toBeGreaterThan(5);
    expect(await snapshot(db, 'second.md')).toEqual({ documents: [], chunks: 0, parts: 0 });
    // The model's index survived the failed large load with the rollback.
    const { hits } = await mcp.ok<{ hits: unknown[] }>('search_documents', { query: 'stock code qx17z', limit: 1 });
    expect(hits).toHaveLength(1);
  });

  it('refuses a file with a NUL byte after its first megabyte before writing anything', async () => {
    const bytes = Buffer.from(manual(SIZE / 2, 5));
    bytes[Math.floor(bytes.length * 0.8)] = 0;
    await writeFile(join(root, 'binary.md'), bytes);
    expect((await mcp.fail('ingest_document', { path: 'binary.md', module: 'ops' })).message).toContain(
      'holds binary data (NUL bytes)',
    );
    expect(await snapshot(db, 'binary.md')).toEqual({ documents: [], chunks: 0, parts: 0 });
  });
});

/** Everything stored for the file document at this path. */
async function snapshot(db: TestDb, path: string) {
  const documents = await db.query(
    "select id, content_hash, md5(content) as head from documents where source = 'file' and path = $1",
    [path],
  );
  const [{ chunks, parts }] = (await db.query(
    `select (select count(*)::int from document_chunks c join documents d on d.id = c.document_id where d.path = $1 and d.source = 'file') as chunks,
       (select count(*)::int from document_text_parts p join documents d on d.id = p.document_id where d.path = $1 and d.source = 'file') as parts`,
    [path],
  )) as [{ chunks: number; parts: number }];
  return { documents, chunks, parts };
}
