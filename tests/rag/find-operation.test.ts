import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDb, type TestDb } from '../helpers/db.js';
import { connect, type TestClient } from '../helpers/mcp.js';

const TASKS: [string, string][] = [
  ['bill a customer for their shipped orders', 'create_invoice'],
  ['record money a customer sent us by bank transfer', 'record_payment'],
  ['ship an order to the customer', 'fulfill_order'],
  ['which invoices are overdue', 'list_invoices'],
  ['find a customer by name', 'search_customers'],
  ['check that the audit log was not tampered with', 'verify_audit_log'],
  ['answer a question from the company policies', 'search_documents'],
  ['cancel an order', 'cancel_order'],
  ['approve a pending request', 'decide_approval'],
  ['predict how many units of a product we will sell', 'forecast_demand'],
];

describe('find_operation', () => {
  let db: TestDb;
  let mcp: TestClient;
  beforeAll(async () => {
    db = await freshDb('pglite');
    mcp = await connect(db);
  });
  afterAll(async () => {
    await mcp.close();
    await db.close();
  });

  it('puts the right tool in the top 3 for plain-language tasks, with its input schema', async () => {
    let hits = 0;
    for (const [task, tool] of TASKS) {
      const r = await mcp.ok<{ operations: { name: string; input_schema: { type: string } }[] }>('find_operation', { query: task, limit: 3 });
      if (r.operations.some((o) => o.name === tool)) hits += 1;
      expect(r.operations[0]!.input_schema.type).toBe('object');
    }
    expect(hits).toBeGreaterThanOrEqual(9);
  });

  it('offers only tools the caller may use', async () => {
    const viewer = await connect(db, { role: 'viewer' });
    const r = await viewer.ok<{ operations: { name: string }[] }>('find_operation', { query: 'create an invoice for a customer', limit: 10 });
    expect(r.operations.map((o) => o.name)).not.toContain('create_invoice');
    await viewer.close();
  });
});
