import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds, freshDb, type TestDb } from '../helpers/db.js';
import { connect, type TestClient } from '../helpers/mcp.js';

describe.each(dbKinds)('erp://schema on %s', (kind) => {
  let db: TestDb;
  let mcp: TestClient;
  beforeAll(async () => {
    db = await freshDb(kind);
    mcp = await connect(db);
  });
  afterAll(async () => {
    await mcp.close();
    await db.close();
  });

  it('is listed and reads as Markdown naming tables, types and references', async () => {
    const { resources } = await mcp.client.listResources();
    expect(resources.map((r) => r.uri)).toContain('erp://schema');
    const { contents } = await mcp.client.readResource({ uri: 'erp://schema' });
    const text = (contents[0] as { text: string }).text;
    expect(text).toContain('## order_items');
    expect(text).toMatch(/\| price \| numeric\(14,2\) \| no \|/);
    expect(text).toMatch(/\| customer_id \| integer \| no \| customers\.id \|/);
  });
});
