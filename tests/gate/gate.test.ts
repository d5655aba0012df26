// The gate: every request (tools, resources, prompts, completion) is role-checked, validated and
// audited; a call's work commits if and only if its audit row does.
import { request } from 'node:http';
import { ProtocolError } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/domain/platform/tokens.js';
import { requireUserByEmail } from '../../src/domain/platform/users.js';
import { startHttpServer, type RunningHttpServer } from '../../src/http.js';
import { TOOLSETS } from '../../src/domain/platform/roles.js';
import { count, dbKinds } from '../helpers/db.js';
import { useServer, type TestClient } from '../helpers/mcp.js';

const lastAudit = async (db: { query: <T extends object>(q: string) => Promise<T[]> }) =>
  (
    await db.query<{
      tool_name: string;
      status: string;
      error_code: string | null;
      input_json: unknown;
      conversation_id: number | null;
    }>('select tool_name, status, error_code, input_json, conversation_id from tool_calls order by id desc limit 1')
  )[0]!;

async function rpcError(p: Promise<unknown>): Promise<{ code: number; message: string; data?: unknown }> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProtocolError);
  const { code, message, data } = error as ProtocolError;
  return { code, message, data };
}

describe.each(dbKinds)('the gate on %s', (kind) => {
  let sales: TestClient;
  let viewer: TestClient;
  const s = useServer(kind, async ({ connect }) => {
    sales = await connect({ role: 'sales' });
    viewer = await connect({ role: 'viewer' });
  });

  it("refuses a _meta conversation id out of range or not the caller's, writes nothing, and audits the refusal", async () => {
    const mine = await sales.ok<{ id: number }>('start_conversation');
    const before = await count(s.db, 'customers');
    for (const bad of [2147483648, -1, 'x', mine.id]) {
      const client = bad === mine.id ? s.mcp : sales; // the admin may not borrow the sales user's conversation either
      const r = await client.client.callTool({
        name: 'create_customer',
        arguments: { name: `Meta ${String(bad)}` },
        _meta: { 'erp-mcp/conversation_id': bad },
      });
      expect(r.isError).toBe(true);
      expect((r.content as { text: string }[])[0]!.text).toMatch(/^INVALID_INPUT: _meta\.erp-mcp\/conversation_id: /);
      expect(await lastAudit(s.db)).toMatchObject({
        tool_name: 'create_customer',
        status: 'invalid',
        error_code: 'INVALID_INPUT',
        conversation_id: null,
      });
    }
    expect(await count(s.db, 'customers')).toBe(before);
    await sales.client.callTool({ name: 'whoami', arguments: {}, _meta: { 'erp-mcp/conversation_id': mine.id } });
    expect(await lastAudit(s.db)).toMatchObject({ tool_name: 'whoami', status: 'ok', conversation_id: mine.id });
  });

  it('audits names and arguments PostgreSQL cannot store, escaped or cut, and refuses them with the argument named', async () => {
    const nul = await s.mcp.fail('create_customer', { name: 'Bad\u0000Name' });
    expect(nul).toEqual({ code: 'INVALID_INPUT', message: 'name: must not contain the NUL character' });
    expect((await lastAudit(s.db)).input_json).toEqual({ name: 'Bad\\u0000Name' });
    const surrogate = await s.mcp.fail('create_customer', { name: 'Lone \ud800 half' });
    expect(surrogate.message).toBe('name: must be well-formed Unicode (it has a lone surrogate)');
    const unknown = await s.mcp.fail('no\u0000such_tool', {});
    expect(unknown.code).toBe('NOT_FOUND');
    expect(await lastAudit(s.db)).toMatchObject({ tool_name: 'no\\u0000such_tool', status: 'invalid' });
    for (const depth of [5_000, 60_000]) {
      let deep: unknown = 'bottom';
      for (let i = 0; i < depth; i++) deep = { d: deep };
      const r = await s.mcp.fail('create_customer', { name: 'Deep', phone: deep as string });
      expect(r).toMatchObject({ code: 'INVALID_INPUT' });
      expect(r.message).toContain('nested deeper than 32 levels');
      expect(JSON.stringify((await lastAudit(s.db)).input_json)).toContain('truncated');
    }
    expect((await s.mcp.ok<{ ok: boolean }>('verify_audit_log')).ok).toBe(true);
  });

  it("commits a call's work only together with its audit row", async () => {
    // A trigger standing for any failure of the audit insert: the customer must not stay behind.
    await s.db.owner.exec(`create function refuse_audit() returns trigger language plpgsql as $$
      begin if new.input_json::text like '%AUDIT-FAILS%' then raise exception 'audit refused'; end if; return new; end $$;
      create trigger refuse_audit before insert on tool_calls for each row execute function refuse_audit();`);
    try {
      const before = await count(s.db, 'customers');
      const r = await s.mcp.fail('create_customer', { name: 'AUDIT-FAILS Ltd' });
      expect(r.code).toBe('INTERNAL');
      expect(await count(s.db, 'customers')).toBe(before);
    } finally {
      await s.db.owner.exec('drop trigger refuse_audit on tool_calls; drop function refuse_audit()');
    }
    const ok = await s.mcp.ok<{ id: number }>('create_customer', { name: 'Audited Ltd' });
    const [row] = await s.db.query<{ n: number }>(
      "select count(*)::int as n from tool_calls where tool_name = 'create_customer' and status = 'ok' and (output_json->>'id')::int = $1",
      [ok.id],
    );
    expect(row!.n).toBe(1);
  });

  // -32602 for a missing resource is what the spec mandates (2025-11-25 on), with the uri in data.
  it('answers resources/read with -32602 for unknown and out-of-range ids, role-checks it, and audits every read', async () => {
    expect((await rpcError(viewer.client.readResource({ uri: 'erp://invoices/4294967296' }))).code).toBe(-32602);
    expect(await lastAudit(s.db)).toMatchObject({
      tool_name: 'resources/read',
      status: 'invalid',
      input_json: { uri: 'erp://invoices/4294967296' },
    });
    expect(await rpcError(viewer.client.readResource({ uri: 'erp://invoices/999999' }))).toMatchObject({
      code: -32602,
      data: { uri: 'erp://invoices/999999' },
    });
    expect(await lastAudit(s.db)).toMatchObject({
      tool_name: 'resources/read',
      status: 'error',
      error_code: 'NOT_FOUND',
    });
    expect(await rpcError(viewer.client.readResource({ uri: 'erp://nothing/1' }))).toMatchObject({
      code: -32602,
      data: { uri: 'erp://nothing/1' },
    });
    expect(await rpcError(viewer.client.readResource({ uri: 'file:///etc/passwd' }))).toMatchObject({
      code: -32602,
      message: expect.stringContaining('NOT_FOUND'),
    });
    const denied = await rpcError(sales.client.readResource({ uri: 'erp://invoices/1' }));
    expect(denied.message).toContain('FORBIDDEN: Role sales may not read invoices');
    expect(await lastAudit(s.db)).toMatchObject({ tool_name: 'resources/read', status: 'denied' });
    const customer = await s.mcp.ok<{ id: number }>('create_customer', { name: 'Readable Co' });
    const read = await viewer.client.readResource({ uri: `erp://customers/${customer.id}` });
    expect((read.contents[0] as { text: string }).text).toContain('Readable Co');
    expect(await lastAudit(s.db)).toMatchObject({ tool_name: 'resources/read', status: 'ok' });
    await viewer.client.listResources();
    expect(await lastAudit(s.db)).toMatchObject({ tool_name: 'resources/list', status: 'ok' });
  });

  it('answers prompts/get with -32602 for bad or out-of-range arguments and a missing customer (NOT_FOUND in data), audited', async () => {
    expect(
      (await rpcError(viewer.client.getPrompt({ name: 'customer_briefing', arguments: { customer_id: '2147483648' } })))
        .code,
    ).toBe(-32602);
    expect(await lastAudit(s.db)).toMatchObject({ tool_name: 'prompts/get', status: 'invalid' });
    expect(
      await rpcError(viewer.client.getPrompt({ name: 'customer_briefing', arguments: { customer_id: '4242' } })),
    ).toMatchObject({ code: -32602, data: { code: 'NOT_FOUND' } });
    expect((await rpcError(viewer.client.getPrompt({ name: 'no_such_prompt', arguments: {} }))).code).toBe(-32602);
    const customer = await s.mcp.ok<{ id: number }>('create_customer', { name: 'Briefed GmbH' });
    const briefing = await viewer.client.getPrompt({
      name: 'customer_briefing',
      arguments: { customer_id: String(customer.id) },
    });
    expect(JSON.stringify(briefing.messages)).toContain('Briefed GmbH');
    expect(await lastAudit(s.db)).toMatchObject({ tool_name: 'prompts/get', status: 'ok' });
    const done = await viewer.client.complete({
      ref: { type: 'ref/prompt', name: 'customer_briefing' },
      argument: { name: 'customer_id', value: 'Briefed' },
    });
    expect(done.completion.values).toEqual([String(customer.id)]);
    expect(await lastAudit(s.db)).toMatchObject({ tool_name: 'completion/complete', status: 'ok' });
  });
});

function post(
  url: string,
  token: string,
  body: string,
): Promise<{ status: number; body: { error?: { code: number }; id?: unknown } }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        let data = '';
        res.on('data', (c) => (data += c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, body: JSON.parse(data) as { error?: { code: number } } }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe.each(dbKinds)('JSON-RPC edge cases over HTTP on %s', (kind) => {
  const s = useServer(kind);
  let server: RunningHttpServer;
  let token: string;
  beforeAll(async () => {
    token = (
      await s.db.transaction(async (tx) => createToken(tx, (await requireUserByEmail(tx, 'admin@erp.local')).id, 'rpc'))
    ).token;
    server = await startHttpServer({ db: s.db, host: '127.0.0.1', port: 0, toolsets: [...TOOLSETS] });
  });
  afterAll(() => server.close());

  it("answers an empty batch, a wrong jsonrpc version, a non-object and bad JSON with the spec's errors", async () => {
    expect(await post(server.url, token, '[]')).toEqual({
      status: 400,
      body: { jsonrpc: '2.0', error: { code: -32600, message: expect.stringContaining('empty batch') }, id: null },
    });
    const v1 = await post(server.url, token, JSON.stringify({ jsonrpc: '1.0', id: 7, method: 'tools/list' }));
    expect(v1).toMatchObject({ status: 400, body: { error: { code: -32600 }, id: 7 } });
    expect(await post(server.url, token, '42')).toMatchObject({ status: 400, body: { error: { code: -32600 } } });
    expect(await post(server.url, token, '{"jsonrpc": "2.0", ')).toMatchObject({
      status: 400,
      body: { error: { code: -32700 } },
    });
  });

  it('answers a message the SDK would drop (an object as progressToken, a boolean id) with -32600 and its id', async () => {
    const call = {
      jsonrpc: '2.0',
      id: 8,
      method: 'tools/call',
      params: { name: 'whoami', arguments: {}, _meta: { progressToken: { a: 1 } } },
    };
    expect(await post(server.url, token, JSON.stringify(call))).toMatchObject({
      status: 400,
      body: { error: { code: -32600, message: expect.stringContaining('progressToken') }, id: 8 },
    });
    const booleanId = { jsonrpc: '2.0', id: true, method: 'ping' };
    expect(await post(server.url, token, JSON.stringify(booleanId))).toMatchObject({
      status: 400,
      body: { error: { code: -32600 }, id: null },
    });
  });
});
