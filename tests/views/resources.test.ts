// The views as MCP resources: listed for the roles that may open them, read through the gate
// (audited), self-contained HTML with a CSP, and pointed at by the tools that open them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIEW_NAMES } from '../../src/resources/views.js';
import { dbKinds, freshDb, type TestDb } from '../helpers/db.js';
import { connect, type TestClient } from '../helpers/mcp.js';
import { ensureViewBuilt } from './host.js';

const OPENED_BY: Record<string, string[]> = {
  'ui://erp/approvals': ['list_approvals', 'get_approval'],
  'ui://erp/invoice': ['get_invoice'],
  'ui://erp/dashboard': ['sales_report', 'kpi_snapshot', 'ar_aging'],
  'ui://erp/customer': ['get_customer'],
};

describe.each(dbKinds)('view resources (%s)', (kind) => {
  let db: TestDb;
  let admin: TestClient;
  const viewUris = async (c: TestClient) =>
    (await c.client.listResources()).resources
      .filter((r) => r.uri.startsWith('ui://'))
      .map((r) => r.uri)
      .sort();

  beforeAll(async () => {
    for (const name of VIEW_NAMES) ensureViewBuilt(name);
    db = await freshDb(kind);
    admin = await connect(db);
  });
  afterAll(async () => {
    await admin?.close();
    await db?.close();
  });

  it('resources/list offers the four ui://erp views as MCP Apps HTML with an empty CSP allowance', async () => {
    const { resources } = await admin.client.listResources();
    const views = resources.filter((r) => r.uri.startsWith('ui://'));
    expect(views.map((v) => v.uri).sort()).toEqual(Object.keys(OPENED_BY).sort());
    for (const v of views) {
      expect(v.mimeType).toBe('text/html;profile=mcp-app');
      expect(v._meta).toMatchObject({ ui: { csp: { connectDomains: [], resourceDomains: [] } } });
    }
  });

  it('each view reads as one self-contained HTML file with a CSP forbidding outside loads, audited', async () => {
    for (const uri of Object.keys(OPENED_BY)) {
      const {
        contents: [content],
      } = await admin.client.readResource({ uri });
      const html = (content as { text: string }).text;
      expect(content).toMatchObject({
        uri,
        mimeType: 'text/html;profile=mcp-app',
        _meta: { ui: { csp: { connectDomains: [], resourceDomains: [] } } },
      });
      expect(html).toMatch(/^<!doctype html>/i);
      expect(html).toContain(`http-equiv="Content-Security-Policy" content="default-src 'none';`);
      expect(html).not.toMatch(/https?:\/\//);
      expect(html).not.toMatch(/<(script|link|img|iframe)\b[^>]*\b(src|href)=/i);
      expect(html).not.toMatch(/DATABASE_URL|postgres(ql)?:\/\/|PRIVATE KEY|ERP_[A-Z_]+=/);
    }
    const [row] = await db.query<{ n: number }>(
      `select count(*)::int as n from tool_calls where tool_name = 'resources/read' and input_json->>'uri' like 'ui://erp/%' and status = 'ok'`,
    );
    expect(row!.n).toBe(4);
  });

  it('the tools that open a view name it in _meta.ui.resourceUri and the legacy ui/resourceUri key', async () => {
    const { tools } = await admin.client.listTools();
    for (const [uri, names] of Object.entries(OPENED_BY)) {
      for (const name of names) {
        const tool = tools.find((t) => t.name === name)!;
        expect(tool._meta, name).toEqual({ ui: { resourceUri: uri }, 'ui/resourceUri': uri });
      }
    }
    expect(tools.filter((t) => t._meta?.ui)).toHaveLength(7);
  });

  it('a role sees only the views of tools it may call, and may not read the others', async () => {
    const sales = await connect(db, { role: 'sales' });
    const viewer = await connect(db, { role: 'viewer' });
    try {
      expect(await viewUris(sales)).toEqual(['ui://erp/approvals', 'ui://erp/customer', 'ui://erp/dashboard']);
      expect(await viewUris(viewer)).toEqual([
        'ui://erp/approvals',
        'ui://erp/customer',
        'ui://erp/dashboard',
        'ui://erp/invoice',
      ]);
      await expect(sales.client.readResource({ uri: 'ui://erp/invoice' })).rejects.toThrow(/FORBIDDEN/);
      await expect(admin.client.readResource({ uri: 'ui://erp/nothing' })).rejects.toThrow(/NOT_FOUND/);
    } finally {
      await sales.close();
      await viewer.close();
    }
  });
});
