// Discover mode (issue 18): tools/list offers whoami, find_operation and call_operation, a tenth of the
// full list, and call_operation serves every tool the caller may call through the same gate: one
// audit row per call (the inner tool's), the same role check, validation, approvals and progress.
import type { CallToolResult } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../../src/domain/platform/users.js';
import { count, dbKinds } from '../helpers/db.js';
import { connect, type TestClient, useServer } from '../helpers/mcp.js';

interface AuditRow {
  agent: string;
  tool_name: string;
  input_json: unknown;
  status: string;
  error_code: string | null;
  approval_id: number | null;
}
type Json = { [key: string]: unknown };

const errorOf = (r: CallToolResult) =>
  (r._meta?.['erp-mcp/error'] ?? {}) as { code?: string; message?: string; details?: Json };
const listSize = async (c: TestClient) => JSON.stringify(await c.client.listTools()).length;

/** The smallest arguments an input schema accepts, as far as types, bounds and enums tell. */
function minimal(schema: Json): Json {
  const props = (schema.properties ?? {}) as Record<string, Json>;
  return Object.fromEntries(((schema.required ?? []) as string[]).map((name) => [name, sample(props[name]!)]));
}
function sample(s: Json): unknown {
  const branch = Array.isArray(s.anyOf) ? (s.anyOf as Json[]).find((b) => b.type !== 'null')! : s;
  if (Array.isArray(branch.enum)) return branch.enum[0];
  switch (branch.type) {
    case 'integer':
    case 'number':
      return typeof branch.minimum === 'number' ? Math.max(branch.minimum, 1) : 1;
    case 'boolean':
      return false;
    case 'array':
      return Array.from({ length: (branch.minItems as number | undefined) ?? 0 }, () => sample(branch.items as Json));
    case 'object':
      return minimal(branch);
    default:
      return 'stock'.padEnd((branch.minLength as number | undefined) ?? 1, 's'); // a word: find_operation and search_documents embed it
  }
}

describe.each(dbKinds)('discover mode on %s', (kind) => {
  let viewer: TestClient;
  let clerk: TestClient;
  const s = useServer(
    kind,
    async (s) => {
      viewer = await s.connect({ role: 'viewer', toolMode: 'discover' });
      clerk = await s.connect({ role: 'inventory', toolMode: 'discover' });
    },
    { toolMode: 'discover' },
  );
  const lastCalls = (n: number) =>
    s.db.query<AuditRow>(
      'select agent, tool_name, input_json, status, error_code, approval_id from tool_calls order by id desc limit $1',
      [n],
    );
  /** Calls through call_operation and returns the result with the audit rows the call added. */
  const via = async (
    c: TestClient,
    name: string,
    args: Json,
    options?: Parameters<TestClient['client']['callTool']>[1],
  ) => {
    const before = await count(s.db, 'tool_calls');
    const result = (await c.client.callTool(
      { name: 'call_operation', arguments: { name, arguments: args } },
      options,
    )) as CallToolResult;
    const added = (await count(s.db, 'tool_calls')) - before;
    return { result, added, row: (await lastCalls(1))[0]! };
  };

  it('tools/list offers whoami, find_operation and call_operation, at least 10× smaller than the full list for every role', async () => {
    expect((await viewer.client.listTools()).tools.map((t) => t.name).sort()).toEqual([
      'call_operation',
      'find_operation',
      'whoami',
    ]);
    for (const role of ROLES) {
      const full = await connect(s.db, { role, email: `full-${role}@discover.test` });
      const discover = await connect(s.db, { role, email: `discover-${role}@discover.test`, toolMode: 'discover' });
      expect(await listSize(full), role).toBeGreaterThanOrEqual(10 * (await listSize(discover)));
      await Promise.all([full.close(), discover.close()]);
    }
  });

  it('the full mode stays the default and does not list call_operation', async () => {
    const full = await connect(s.db, { email: 'admin@erp.local' });
    expect((await full.client.listTools()).tools.map((t) => t.name)).not.toContain('call_operation');
    expect((await full.fail('call_operation', { name: 'whoami' })).code).toBe('NOT_FOUND');
    await full.close();
  });

  it('whoami still names every tool the caller may call, and the instructions point at find_operation', async () => {
    const me = await s.mcp.ok<{ tools: string[] }>('whoami');
    expect(me.tools.length).toBeGreaterThan(60);
    expect(me.tools).toEqual(expect.arrayContaining(['create_customer', 'post_journal_entry', 'find_operation']));
    expect(me.tools).not.toContain('call_operation');
    expect(s.mcp.client.getInstructions()).toContain('call_operation');
  });

  it('find_operation gives a name and an input schema that call_operation accepts as is', async () => {
    const found = await s.mcp.ok<{ operations: { name: string; input_schema: Json }[] }>('find_operation', {
      query: 'create a new customer',
    });
    const op = found.operations.find((o) => o.name === 'create_customer')!;
    expect(op.input_schema).toMatchObject({ type: 'object', required: ['name'] });
    const { result, added, row } = await via(s.mcp, op.name, { name: 'Found Through Search Ltd' });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ name: 'Found Through Search Ltd' });
    expect((result.content[0] as { text: string }).text).toContain('Found Through Search Ltd');
    expect(added).toBe(1);
    expect(row).toMatchObject({
      agent: 'sales via call_operation',
      tool_name: 'create_customer',
      input_json: { name: 'Found Through Search Ltd' },
      status: 'ok',
    });
  });

  it('every tool the admin may call reaches its own validation through call_operation, with one audit row naming it', async () => {
    const { tools } = await s.mcp.ok<{ tools: string[] }>('whoami');
    for (const name of tools) {
      const { result, added, row } = await via(s.mcp, name, { not_an_argument: 1 });
      expect(errorOf(result), name).toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/^arguments/),
      });
      expect(added, name).toBe(1);
      expect(row, name).toMatchObject({
        tool_name: name,
        status: 'invalid',
        agent: expect.stringMatching(/ via call_operation$/),
      });
    }
  });

  it('every read tool answers minimal valid arguments through call_operation with its result or a domain error', async () => {
    const full = await connect(s.db, { email: 'admin@erp.local' });
    const reads = (await full.client.listTools()).tools.filter((t) => t.annotations?.readOnlyHint);
    await full.close();
    expect(reads.length).toBeGreaterThan(30);
    const outcomes: string[] = [];
    for (const tool of reads) {
      const { result, added, row } = await via(s.mcp, tool.name, minimal(tool.inputSchema as Json));
      expect(added, tool.name).toBe(1);
      expect(row.tool_name, tool.name).toBe(tool.name);
      if (result.isError) outcomes.push(`${tool.name}: ${errorOf(result).code}`);
      else expect(result.structuredContent, tool.name).toBeTypeOf('object');
    }
    // What minimal arguments cannot satisfy: a record that is not there, or a pattern the sample misses.
    expect(outcomes.filter((o) => !/: (NOT_FOUND|INVALID_INPUT|CONFLICT)$/.test(o))).toEqual([]);
    expect(outcomes.length).toBeLessThan(reads.length / 2);
  });

  it('an unknown tool is NOT_FOUND and names find_operation; call_operation cannot call itself', async () => {
    const unknown = await via(s.mcp, 'make_coffee', {});
    expect(errorOf(unknown.result)).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('find_operation'),
    });
    expect(unknown.added).toBe(1);
    expect(unknown.row).toMatchObject({ tool_name: 'make_coffee', status: 'invalid', error_code: 'NOT_FOUND' });
    const self = await via(s.mcp, 'call_operation', { name: 'whoami' });
    expect(errorOf(self.result).code).toBe('INVALID_INPUT');
    expect(self.added).toBe(1);
    expect(self.row).toMatchObject({ tool_name: 'call_operation', status: 'invalid' });
  });

  it('refuses a tool the role may not call with FORBIDDEN, audited as that tool', async () => {
    const before = await count(s.db, 'customers');
    const { result, added, row } = await via(viewer, 'create_customer', { name: 'Not Allowed Ltd' });
    expect(errorOf(result)).toMatchObject({ code: 'FORBIDDEN', message: 'Role viewer may not call create_customer' });
    expect(added).toBe(1);
    expect(row).toMatchObject({ tool_name: 'create_customer', status: 'denied', agent: 'sales via call_operation' });
    expect(await count(s.db, 'customers')).toBe(before);
  });

  it('names the offending argument under arguments., and its own arguments bare', async () => {
    expect(errorOf((await via(s.mcp, 'get_customer', { customer_id: 'one' })).result)).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^arguments\.customer_id: /),
    });
    expect(errorOf((await via(s.mcp, 'create_customer', { name: 'Nul\u0000Ltd' })).result).message).toBe(
      'arguments.name: must not contain the NUL character',
    );
    const missing = (await s.mcp.client.callTool({
      name: 'call_operation',
      arguments: { arguments: {} },
    })) as CallToolResult;
    expect(errorOf(missing)).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/^name: /) });
  });

  it('holds a risky call for approval, and an approval runs it', async () => {
    const { id: productId } = await s.mcp.ok<{ id: number }>('call_operation', {
      name: 'create_product',
      arguments: { sku: 'DISC-1', name: 'Guarded', price: '900.00', cost: '500.00' },
    });
    await s.mcp.ok('call_operation', { name: 'receive_stock', arguments: { product_id: productId, quantity: 20 } });
    const held = await via(clerk, 'adjust_stock', {
      product_id: productId,
      change_qty: -10,
      reason: 'Shelf collapsed',
      kind: 'write_off',
    });
    const error = errorOf(held.result);
    expect(error.code).toBe('APPROVAL_REQUIRED');
    expect(held.added).toBe(1);
    expect(held.row).toMatchObject({
      tool_name: 'adjust_stock',
      status: 'error',
      error_code: 'APPROVAL_REQUIRED',
      approval_id: error.details!.approval_id,
    });
    const decided = await via(s.mcp, 'decide_approval', {
      approval_id: error.details!.approval_id,
      decision: 'approve',
    });
    expect(decided.result.isError).toBeFalsy();
    expect(decided.result.structuredContent).toMatchObject({ status: 'executed' });
  });

  it('passes progress notifications through', async () => {
    const seen: number[] = [];
    const text = Array.from({ length: 80 }, (_, i) => `Paragraph ${i}. ${'Words about stock. '.repeat(8)}`).join(
      '\n\n',
    );
    const { result } = await via(
      s.mcp,
      'ingest_document',
      { path: 'discover.md', module: 'ops', text },
      { onprogress: (p) => void seen.push(p.progress) },
    );
    expect(result.isError).toBeFalsy();
    expect(seen.length).toBeGreaterThanOrEqual(2);
  });
});
