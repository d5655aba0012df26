// Full-text ranking stays bounded on a large corpus: words that ANALYZE says are in a large share
// of the chunks are left to the vector side, rare words still rank.
import { describe, expect, it } from 'vitest';
import { FULL_TEXT_BUDGET } from '../../src/domain/documents/search.js';
import { dbKinds } from '../helpers/db.js';
import { useServer } from '../helpers/mcp.js';

interface Hit {
  path: string;
  text: string;
  text_rank: number | null;
}

describe.each(dbKinds)('full-text budget on %s', (kind) => {
  const s = useServer(kind, async ({ db, mcp }) => {
    await mcp.ok('ingest_document', {
      path: 'notes/zebra.md',
      text: '# Zebra crossing\n\nShipping to the zebra enclosure needs a permit.',
      module: 'ops',
    });
    // Many chunks sharing one word ("shipping"), copied from the real chunk so they carry a real embedding.
    await db.query(
      `insert into document_chunks (document_id, chunk_index, content, embedding, model_id)
       select c.document_id, 1000 + g, 'Shipping note number ' || g, c.embedding, c.model_id
       from document_chunks c, generate_series(1, $1::int) g where c.chunk_index = 0`,
      [FULL_TEXT_BUDGET + 1000],
    );
  });

  const textRanked = async () =>
    (await s.mcp.ok<{ hits: Hit[] }>('search_documents', { query: 'shipping zebra', limit: 50 })).hits.filter(
      (h) => h.text_rank !== null,
    );

  it('ranks every matching word while the table has no statistics', async () => {
    expect((await textRanked()).length).toBeGreaterThan(1);
  });

  it('drops a word found in more chunks than the budget once the table is analysed, and still ranks the rare one', async () => {
    await s.db.query('select erp_analyze_documents()');
    const hits = await textRanked();
    expect(hits.map((h) => h.text)).toEqual([expect.stringContaining('zebra enclosure')]);
  });
});
