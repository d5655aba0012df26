import { describe, expect, it } from 'vitest';
import { dbKinds } from '../helpers/db.js';
import { useServer } from '../helpers/mcp.js';

describe.each(dbKinds)('erp://schema on %s', (kind) => {
  const s = useServer(kind);

  it('is listed and reads as Markdown naming tables, types and references', async () => {
    const { resources } = await s.mcp.client.listResources();
    expect(resources.map((r) => r.uri)).toContain('erp://schema');
    const { contents } = await s.mcp.client.readResource({ uri: 'erp://schema' });
    const text = (contents[0] as { text: string }).text;
    expect(text).toContain('## order_items');
    expect(text).toMatch(/\| price \| numeric\(14,2\) \| no \|/);
    expect(text).toMatch(/\| customer_id \| integer \| no \| customers\.id \|/);
  });

  it('lists the reporting views run_query reads, with the admin-only columns apart', async () => {
    const { contents } = await s.mcp.client.readResource({ uri: 'erp://schema' });
    const text = (contents[0] as { text: string }).text;
    const [everyone, adminOnly] = text.split('# Reporting views (run_query)')[1]!.split('## Admins only');
    expect(everyone).toMatch(/- `invoices`: id, customer_id, invoice_number/);
    expect(everyone).toMatch(/- `tool_calls`: id, agent, tool_name, status/);
    expect(everyone).not.toContain('input_json');
    expect(everyone).not.toMatch(/api_tokens|token_hash|schema_migrations/);
    expect(adminOnly).toMatch(/- `messages`: id, conversation_id, sender, content/);
  });
});
