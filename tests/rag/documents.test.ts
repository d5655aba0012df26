// Document ingest and hybrid search through a real MCP client, on both databases.
import type { CallToolResult } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { createEmbedder } from '../../src/rag/embedder.js';
import { count, dbKinds, freshDb } from '../helpers/db.js';
import { connect, testDocsRoot, useServer } from '../helpers/mcp.js';

interface Hit {
  document_id: number;
  path: string;
  chunk_index: number;
  text: string;
  score: number;
  resource_uri: string;
}
interface Ingested {
  document_id: number;
  chunks: number;
  skipped: boolean;
  path: string;
}

describe.each(dbKinds)('documents on %s', (kind) => {
  const s = useServer(kind);

  it('search_documents and ingest_document answer UNAVAILABLE on a server with no embedding model', async () => {
    const bare = await s.connect({ rag: null });
    expect((await bare.fail('search_documents', { query: 'returns' })).code).toBe('UNAVAILABLE');
    expect((await bare.fail('ingest_document', { path: 'returns-policy.md', module: 'policies' })).code).toBe(
      'UNAVAILABLE',
    );
  });

  it('ingests Markdown files and a PDF, recording the model and one chunk row per chunk', async () => {
    for (const [path, module] of [
      ['returns-policy.md', 'policies'],
      ['payment-terms.md', 'finance'],
      ['tent-manual.md', 'products'],
      ['drill-warranty.pdf', 'products'],
    ] as const) {
      const r = await s.mcp.ok<Ingested>('ingest_document', {
        path,
        module,
        tags: path.endsWith('.pdf') ? ['warranty'] : [],
      });
      expect(r.chunks, path).toBeGreaterThan(0);
    }
    expect(await s.db.query("select name, dimensions from model_registry where kind = 'embedding'")).toEqual([
      { name: 'local/glove-100d-sif', dimensions: 100 },
    ]);
    const [pdf] = await s.db.query<{ content: string }>(
      "select content from documents where path = 'drill-warranty.pdf'",
    );
    expect(pdf!.content).toContain('within 24 months of purchase');
    expect(await s.db.query('select vector_dims(embedding) as d from document_chunks group by 1')).toEqual([
      { d: 100 },
    ]);
  });

  it('skips unchanged content and replaces the chunks of changed content', async () => {
    const again = await s.mcp.ok<Ingested>('ingest_document', { path: 'returns-policy.md', module: 'policies' });
    expect(again.skipped).toBe(true);
    const inline = await s.mcp.ok<Ingested>('ingest_document', {
      path: 'notes/holiday.md',
      text: '# Holidays\n\nThe warehouse is closed on 24 December.',
      module: 'ops',
    });
    const changed = await s.mcp.ok<Ingested>('ingest_document', {
      path: 'notes/holiday.md',
      text: '# Holidays\n\nThe warehouse closes on 24 and 31 December.',
      module: 'ops',
    });
    expect(changed).toMatchObject({ document_id: inline.document_id, skipped: false });
    const rows = await s.db.query<{ content: string }>('select content from document_chunks where document_id = $1', [
      inline.document_id,
    ]);
    expect(rows.map((r) => r.content).join(' ')).toContain('24 and 31 December');
    expect(rows.map((r) => r.content).join(' ')).not.toContain('is closed on 24 December');
  });

  it('search_documents cites the passage that answers, with a resource link', async () => {
    const result = (await s.mcp.client.callTool({
      name: 'search_documents',
      arguments: { query: 'When are refunds paid?' },
    })) as CallToolResult;
    const { hits } = result.structuredContent as { hits: Hit[] };
    expect(hits[0]!.path).toBe('returns-policy.md');
    expect(hits[0]!.text).toContain('within 14 days');
    expect(hits[0]!.resource_uri).toBe(`erp://documents/${hits[0]!.document_id}`);
    expect(result.content.some((c) => c.type === 'resource_link' && c.uri === hits[0]!.resource_uri)).toBe(true);
  });

  it('filters by module and by tags', async () => {
    const finance = await s.mcp.ok<{ hits: Hit[] }>('search_documents', { query: 'days', module: 'finance' });
    expect(new Set(finance.hits.map((h) => h.path))).toEqual(new Set(['payment-terms.md']));
    const warranty = await s.mcp.ok<{ hits: Hit[] }>('search_documents', {
      query: 'drill battery',
      tags: ['warranty'],
    });
    expect(warranty.hits.map((h) => h.path)).toEqual(['drill-warranty.pdf']);
    expect(
      (await s.mcp.ok<{ hits: Hit[] }>('search_documents', { query: 'refund', module: 'nothing-here' })).hits,
    ).toEqual([]);
  });

  it('refuses paths outside the documents folder, missing files and empty text, writing nothing', async () => {
    const before = await count(s.db, 'documents');
    expect((await s.mcp.fail('ingest_document', { path: '../../../package.json', module: 'x' })).code).toBe(
      'FORBIDDEN',
    );
    expect((await s.mcp.fail('ingest_document', { path: '/etc/passwd', module: 'x' })).code).toBe('FORBIDDEN');
    expect((await s.mcp.fail('ingest_document', { path: 'missing.md', module: 'x' })).code).toBe('NOT_FOUND');
    expect((await s.mcp.fail('ingest_document', { path: 'blank.md', text: '   \n ', module: 'x' })).code).toBe(
      'INVALID_INPUT',
    );
    expect((await s.mcp.fail('ingest_document', { module: 'x' })).code).toBe('INVALID_INPUT');
    expect(await count(s.db, 'documents')).toBe(before);
  });

  it('lists and deletes documents with their chunks', async () => {
    const list = await s.mcp.ok<{ items: { id: number; path: string; chunks: number }[] }>('list_documents', {
      module: 'ops',
    });
    expect(list.items.map((d) => d.path)).toEqual(['notes/holiday.md']);
    await s.mcp.ok('delete_document', { document_id: list.items[0]!.id });
    expect(await s.db.query('select 1 from document_chunks where document_id = $1', [list.items[0]!.id])).toEqual([]);
    expect((await s.mcp.fail('delete_document', { document_id: list.items[0]!.id })).code).toBe('NOT_FOUND');
  });

  it('sends progress notifications when the client asks for them', async () => {
    const seen: number[] = [];
    await s.mcp.client.callTool(
      {
        name: 'ingest_document',
        arguments: {
          path: 'long.md',
          module: 'ops',
          text: Array.from({ length: 80 }, (_, i) => `Paragraph ${i}. ${'Words about stock. '.repeat(8)}`).join('\n\n'),
        },
      },
      { onprogress: (p) => void seen.push(p.progress) },
    );
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen[seen.length - 1]).toBeGreaterThan(seen[0]!);
  });
});

describe('embedding model', () => {
  it('names the missing folder when the model directory is wrong', async () => {
    const embedder = createEmbedder({ modelDir: '/nonexistent/models', model: 'local/glove-100d-sif' });
    await expect(embedder.embed(['x'])).rejects.toThrow('/nonexistent/models/local/glove-100d-sif has no config.json');
  });

  it('search_documents and ingest_document answer UNAVAILABLE naming the folder, and write nothing', async () => {
    const db = await freshDb('pglite');
    const embedder = createEmbedder({ modelDir: '/nonexistent/models', model: 'local/glove-100d-sif' });
    const mcp = await connect(db, { rag: { embedder, docsRoot: testDocsRoot } });
    try {
      const search = await mcp.fail('search_documents', { query: 'refunds' });
      expect(search).toMatchObject({
        code: 'UNAVAILABLE',
        message: expect.stringContaining('/nonexistent/models/local/glove-100d-sif has no config.json'),
      });
      expect((await mcp.fail('ingest_document', { path: 'returns-policy.md', module: 'policies' })).code).toBe(
        'UNAVAILABLE',
      );
      expect(await count(db, 'documents')).toBe(0);
      // find_operation needs no model: it ranks on keywords and says so.
      const found = await mcp.ok<{ operations: { name: string }[]; ranking: string }>('find_operation', {
        query: 'who owes us money?',
      });
      expect(found.ranking).toBe('keywords');
      expect(found.operations.slice(0, 3).map((o) => o.name)).toContain('ar_aging');
    } finally {
      await mcp.close();
      await db.close();
    }
  });
});
