import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../src/domain/platform/users.js';
import { dbKinds, freshDb, type TestDb } from '../helpers/db.js';
import { connect } from '../helpers/mcp.js';

describe.each(dbKinds)('roles and toolsets on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await freshDb(kind);
  });
  afterAll(() => db.close());

  it('whoami names the acting user and agrees with tools/list for every role', async () => {
    for (const role of ROLES) {
      const mcp = role === 'admin' ? await connect(db) : await connect(db, { role });
      const me = await mcp.ok<{ user: { role: string }; tools: string[] }>('whoami');
      const listed = (await mcp.client.listTools()).tools.map((t) => t.name);
      expect(me.user.role).toBe(role);
      expect(me.tools.sort()).toEqual(listed.sort());
      await mcp.close();
    }
  });

  it('a viewer sees only read-only tools, besides their own chat memory, and may not write', async () => {
    const viewer = await connect(db, { role: 'viewer' });
    const { tools } = await viewer.client.listTools();
    expect(tools.length).toBeGreaterThan(0);
    const writes = tools.filter((t) => !t.annotations?.readOnlyHint).map((t) => t.name);
    expect(writes.sort()).toEqual(['add_message', 'start_conversation']); // only their own chat memory
    expect((await viewer.fail('update_product', { product_id: 1, name: 'x' })).code).toBe('FORBIDDEN');
    await viewer.close();
  });

  it('a sales user writes customers and products but may not read the audit log', async () => {
    const sales = await connect(db, { role: 'sales' });
    const names = (await sales.client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('create_customer');
    expect(names).not.toContain('list_tool_calls');
    await sales.ok('create_customer', { name: 'Sold To Ltd' });
    await sales.close();
  });

  it('an inventory user reads the catalogue but may not create customers', async () => {
    const inv = await connect(db, { role: 'inventory' });
    expect((await inv.ok<{ items: unknown[] }>('search_products')).items).toBeDefined();
    expect((await inv.fail('create_customer', { name: 'Nope' })).code).toBe('FORBIDDEN');
    await inv.close();
  });

  it('toolset selection hides the other toolsets but always keeps router', async () => {
    const routerOnly = await connect(db, { toolsets: ['finance'] });
    const names = (await routerOnly.client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('whoami');
    expect(names).not.toContain('create_customer');
    expect((await routerOnly.fail('create_customer', { name: 'Hidden' })).code).toBe('NOT_FOUND');
    await routerOnly.close();
  });
});
