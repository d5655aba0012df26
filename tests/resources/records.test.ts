import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/seed.js';
import { VIEW_NAMES } from '../../src/resources/views.js';
import { dbKinds } from '../helpers/db.js';
import { useServer, type TestClient } from '../helpers/mcp.js';

describe.each(dbKinds)('record resources on %s', (kind) => {
  let sales: TestClient;
  const s = useServer(kind, async ({ db, mcp: admin, connect }) => {
    await seedDemo(db);
    sales = await connect({ role: 'sales' });
    await admin.ok('ingest_document', { path: 'returns-policy.md', module: 'policies' });
  });

  it('resources/list pages through the schema, the views and every record exactly once', async () => {
    const uris: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await s.mcp.client.request({ method: 'resources/list', params: cursor ? { cursor } : {} }); // one page: the typed verb aggregates them
      uris.push(...page.resources.map((r) => r.uri));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    const [n] = await s.db.query<{
      total: number;
    }>(`select ((select count(*) from documents) + (select count(*) from customers)
      + (select count(*) from orders) + (select count(*) from invoices) + 1)::int as total`);
    expect(uris).toHaveLength(n!.total + VIEW_NAMES.length);
    expect(new Set(uris).size).toBe(uris.length);
    expect(pages).toBeGreaterThan(1);
    expect(uris[0]).toBe('erp://schema');
  });

  it('reads customers, orders and invoices as JSON and documents as text', async () => {
    const customer = JSON.parse(
      ((await s.mcp.client.readResource({ uri: 'erp://customers/4' })).contents[0] as { text: string }).text,
    );
    expect(customer).toMatchObject({ id: 4, name: 'Müller Gartenbau GmbH' });
    const [inv] = await s.db.query<{ id: number; invoice_number: string }>(
      'select id, invoice_number from invoices where invoice_number is not null order by id limit 1',
    );
    const invoice = JSON.parse(
      ((await s.mcp.client.readResource({ uri: `erp://invoices/${inv!.id}` })).contents[0] as { text: string }).text,
    );
    expect(invoice.invoice_number).toBe(inv!.invoice_number);
    const order = JSON.parse(
      ((await s.mcp.client.readResource({ uri: 'erp://orders/1' })).contents[0] as { text: string }).text,
    );
    expect(order.items.length).toBeGreaterThan(0);
    const [doc] = await s.db.query<{ id: number }>('select id from documents limit 1');
    const text = (
      (await s.mcp.client.readResource({ uri: `erp://documents/${doc!.id}` })).contents[0] as { text: string }
    ).text;
    expect(text).toContain('# Returns policy');
    await expect(s.mcp.client.readResource({ uri: 'erp://customers/99999' })).rejects.toThrow(/does not exist/);
  });

  it('completes ids from names and numbers', async () => {
    const c = await s.mcp.client.complete({
      ref: { type: 'ref/resource', uri: 'erp://customers/{id}' },
      argument: { name: 'id', value: 'muller' },
    });
    expect(c.completion.values).toEqual(['4']);
    const i = await s.mcp.client.complete({
      ref: { type: 'ref/resource', uri: 'erp://invoices/{id}' },
      argument: { name: 'id', value: 'INV-' },
    });
    expect(i.completion.values.length).toBeGreaterThan(0);
  });

  it('a sales user neither lists nor reads invoices', async () => {
    const page = await sales.client.listResources();
    expect(page.resources.some((r) => r.uri.startsWith('erp://invoices/'))).toBe(false);
    await expect(sales.client.readResource({ uri: 'erp://invoices/1' })).rejects.toThrow(/may not read invoices/);
  });
});
