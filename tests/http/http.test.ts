// MCP over Streamable HTTP, end to end: bearer tokens, roles, approvals across users, audit.
import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/client';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, revokeToken } from '../../src/domain/platform/tokens.js';
import { createUser, requireUserByEmail, type Role } from '../../src/domain/platform/users.js';
import { startHttpServer, type RunningHttpServer } from '../../src/http.js';
import { TOOLSETS } from '../../src/domain/platform/roles.js';
import { dbKinds, freshDb, type TestDb } from '../helpers/db.js';

async function httpClient(url: string, token: string): Promise<Client> {
  const client = new Client({ name: 'http-e2e', version: '0.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }),
  );
  return client;
}

function rawPost(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      },
      (res) => {
        let data = '';
        res.on('data', (c) => (data += c));
        res.on('end', () => resolve({ status: res.statusCode!, body: data, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const ping = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });

describe.each(dbKinds)('HTTP transport on %s', (kind) => {
  let db: TestDb;
  let server: RunningHttpServer;
  const tokens: Partial<Record<Role, string>> = {};

  beforeAll(async () => {
    db = await freshDb(kind);
    for (const role of ['finance', 'viewer'] as const)
      await createUser(db, { name: `HTTP ${role}`, email: `${role}@http.test`, role });
    await db.transaction(async (tx) => {
      tokens.admin = (await createToken(tx, (await requireUserByEmail(tx, 'admin@erp.local')).id, 'tests')).token;
      tokens.finance = (await createToken(tx, (await requireUserByEmail(tx, 'finance@http.test')).id, 'tests')).token;
      tokens.viewer = (await createToken(tx, (await requireUserByEmail(tx, 'viewer@http.test')).id, 'tests')).token;
    });
    server = await startHttpServer({ db, host: '127.0.0.1', port: 0, toolsets: [...TOOLSETS] });
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  it('answers /healthz with the database state', async () => {
    const res = await fetch(server.url.replace('/mcp', '/healthz'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: 'up' });
  });

  it('refuses a request without a token, with a bad token and with a revoked token (401)', async () => {
    const none = await rawPost(server.url, {}, ping);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toContain('Bearer');
    expect((await rawPost(server.url, { authorization: 'Bearer erp_nope' }, ping)).status).toBe(401);
    const doomed = await db.transaction(async (tx) =>
      createToken(tx, (await requireUserByEmail(tx, 'viewer@http.test')).id, 'doomed'),
    );
    expect((await rawPost(server.url, { authorization: `Bearer ${doomed.token}` }, ping)).status).toBe(200);
    await db.transaction((tx) => revokeToken(tx, doomed.id));
    expect((await rawPost(server.url, { authorization: `Bearer ${doomed.token}` }, ping)).status).toBe(401);
  });

  it('refuses foreign Host and Origin headers (DNS rebinding) and oversized bodies', async () => {
    const auth = { authorization: `Bearer ${tokens.admin}` };
    expect((await rawPost(server.url, { ...auth, host: 'evil.example' }, ping)).status).toBe(403);
    expect((await rawPost(server.url, { ...auth, origin: 'http://evil.example' }, ping)).status).toBe(403);
    const huge = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'create_customer', arguments: { name: 'x'.repeat(2_000_000) } },
    });
    expect((await rawPost(server.url, auth, huge)).status).toBe(413);
    const get = await fetch(server.url, { headers: { authorization: `Bearer ${tokens.admin}` } });
    expect(get.status).toBe(405);
  });

  it('two users with different roles at once each see only their tools', async () => {
    const [finance, viewer] = await Promise.all([
      httpClient(server.url, tokens.finance!),
      httpClient(server.url, tokens.viewer!),
    ]);
    const [f, v] = await Promise.all([finance.listTools(), viewer.listTools()]);
    expect(f.tools.map((t) => t.name)).toContain('issue_credit_note');
    expect(v.tools.map((t) => t.name)).not.toContain('issue_credit_note');
    expect(
      v.tools
        .filter((t) => !t.annotations?.readOnlyHint)
        .map((t) => t.name)
        .sort(),
    ).toEqual(['add_message', 'start_conversation']);
    const denied = (await viewer.callTool({ name: 'create_customer', arguments: { name: 'Nope' } })) as CallToolResult;
    expect(denied.isError).toBe(true);
    await Promise.all([finance.close(), viewer.close()]);
  });

  it("a finance user's credit note waits for an admin's approval, and every call is audited", async () => {
    const [admin, finance] = await Promise.all([
      httpClient(server.url, tokens.admin!),
      httpClient(server.url, tokens.finance!),
    ]);
    const call = async (c: Client, name: string, args: Record<string, unknown>) =>
      (await c.callTool({ name, arguments: args })) as CallToolResult;
    const customer = (await call(admin, 'create_customer', { name: 'HTTP Buyer' })).structuredContent as { id: number };
    const draft = (
      await call(finance, 'create_invoice', {
        customer_id: customer.id,
        lines: [{ description: 'Service', quantity: 1, unit_price: '80.00' }],
      })
    ).structuredContent as { id: number };
    await call(finance, 'post_invoice', { invoice_id: draft.id });
    const held = await call(finance, 'issue_credit_note', {
      invoice_id: draft.id,
      amount: '20.00',
      reason: 'Late delivery',
    });
    expect(held.isError).toBe(true);
    const approvalId = (held._meta!['erp-mcp/error'] as { details: { approval_id: number } }).details.approval_id;
    expect((await call(finance, 'decide_approval', { approval_id: approvalId, decision: 'approve' })).isError).toBe(
      true,
    );
    const decided = (await call(admin, 'decide_approval', { approval_id: approvalId, decision: 'approve' }))
      .structuredContent as { status: string };
    expect(decided.status).toBe('executed');
    const invoice = (await call(admin, 'get_invoice', { invoice_id: draft.id })).structuredContent as {
      open_amount: string;
    };
    expect(invoice.open_amount).toBe('60.00');
    const audit = await db.query<{ tool_name: string; status: string; email: string }>(
      `select t.tool_name, t.status, u.email from tool_calls t join users u on u.id = t.user_id
       where t.tool_name in ('issue_credit_note', 'decide_approval') order by t.id`,
    );
    expect(audit).toEqual([
      { tool_name: 'issue_credit_note', status: 'error', email: 'finance@http.test' },
      { tool_name: 'decide_approval', status: 'denied', email: 'finance@http.test' },
      { tool_name: 'decide_approval', status: 'ok', email: 'admin@erp.local' },
    ]);
    await Promise.all([admin.close(), finance.close()]);
  });

  it('serves many concurrent clients', async () => {
    const clients = await Promise.all(Array.from({ length: 8 }, () => httpClient(server.url, tokens.admin!)));
    const results = await Promise.all(
      clients.map((c, i) => c.callTool({ name: 'create_customer', arguments: { name: `Parallel ${i}` } })),
    );
    expect(results.every((r) => !r.isError)).toBe(true);
    await Promise.all(clients.map((c) => c.close()));
    const [row] = await db.query<{ n: number }>(
      "select count(*)::int as n from customers where name like 'Parallel %'",
    );
    expect(row!.n).toBe(8);
  });

  it("in discover mode lists three tools and serves the rest through call_operation, with each user's role", async () => {
    const discover = await startHttpServer({
      db,
      host: '127.0.0.1',
      port: 0,
      toolsets: [...TOOLSETS],
      toolMode: 'discover',
    });
    const viewer = await httpClient(discover.url, tokens.viewer!);
    try {
      expect((await viewer.listTools()).tools.map((t) => t.name).sort()).toEqual([
        'call_operation',
        'find_operation',
        'whoami',
      ]);
      const found = (await viewer.callTool({
        name: 'call_operation',
        arguments: { name: 'search_customers', arguments: { query: 'Parallel 3' } },
      })) as CallToolResult;
      expect(found.structuredContent).toMatchObject({
        items: expect.arrayContaining([expect.objectContaining({ name: 'Parallel 3' })]),
      });
      const denied = (await viewer.callTool({
        name: 'call_operation',
        arguments: { name: 'create_customer', arguments: { name: 'X' } },
      })) as CallToolResult;
      expect(denied._meta?.['erp-mcp/error']).toMatchObject({ code: 'FORBIDDEN' });
    } finally {
      await viewer.close();
      await discover.close();
    }
  });
});
