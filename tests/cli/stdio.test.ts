// End to end: the built CLI, spawned as Claude Desktop would, spoken to over stdio.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/db/pglite.js';
import { verifyAuditLog } from '../../src/domain/platform/audit.js';
import { dbKinds, freshDb, type TestDb } from '../helpers/db.js';
import { testModelDir } from '../helpers/mcp.js';

const cli = join(import.meta.dirname, '../../dist/cli.js');
const run = promisify(execFile);

describe.each(dbKinds)('erp-mcp CLI over stdio on %s', (kind) => {
  let dir: string;
  let pg: TestDb | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run "npm run build" first (npm test does)');
    dir = await mkdtemp(join(tmpdir(), 'erp-cli-'));
    const base = {
      ...(Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DATABASE_URL')) as Record<
        string,
        string
      >),
      ERP_MODEL_DIR: testModelDir,
      ERP_EMBED_MODEL: 'local/glove-100d-sif', // offline: never download a model in tests
    };
    if (kind === 'postgres') {
      pg = await freshDb('postgres');
      env = { ...base, DATABASE_URL: pg.url! };
    } else {
      env = { ...base, ERP_DATA_DIR: join(dir, 'data') };
    }
  });
  afterAll(async () => {
    await pg?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const connect = async (extraEnv: Record<string, string> = {}, flags: string[] = []) => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [cli, 'stdio', ...flags],
      env: { ...env, ...extraEnv },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'stdio-e2e', version: '0.0.0' });
    await client.connect(transport);
    return client;
  };

  it('seed --demo loads the demo company once and is idempotent', async () => {
    const first = await run(process.execPath, [cli, 'seed', '--demo'], { env });
    expect(first.stderr).toMatch(/Demo company loaded: \d+ customers/);
    expect(first.stderr).toMatch(/Demo documents: 2\d indexed, 0 unchanged/);
    const second = await run(process.execPath, [cli, 'seed', '--demo'], { env });
    expect(second.stderr).toContain('already loaded');
    expect(second.stderr).toMatch(/Demo documents: 0 indexed, 2\d unchanged/);
  }, 180_000); // a year of demo activity: about 25 s of CPU on PGlite, more on a loaded 2-core runner

  it('lists and calls tools, and audits every call', async () => {
    const client = await connect();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(['whoami', 'create_customer', 'search_products', 'verify_audit_log']),
    );
    const me = (await client.callTool({ name: 'whoami', arguments: {} })) as CallToolResult;
    expect(me.structuredContent).toMatchObject({ user: { email: 'admin@erp.local', role: 'admin' } });
    const found = (await client.callTool({
      name: 'search_customers',
      arguments: { query: 'muller' },
    })) as CallToolResult;
    expect(found.structuredContent).toMatchObject({ items: [{ name: 'Müller Gartenbau GmbH' }] });
    const answer = (await client.callTool({
      name: 'search_documents',
      arguments: { query: 'How long do we keep accounting records?' },
    })) as CallToolResult;
    const hit = (answer.structuredContent as { hits: { path: string; resource_uri: string }[] }).hits[0]!;
    expect(hit.path).toBe('policies/privacy-notice.md');
    const doc = await client.readResource({ uri: hit.resource_uri });
    expect((doc.contents[0] as { text: string }).text).toContain('retained for 7 years');
    const bad = (await client.callTool({ name: 'get_customer', arguments: { customer_id: 'one' } })) as CallToolResult;
    expect(bad.isError).toBe(true);
    const audit = (await client.callTool({ name: 'list_tool_calls', arguments: {} })) as CallToolResult;
    const rows = (audit.structuredContent as { items: { tool_name: string; status: string }[] }).items;
    expect(rows.slice(0, 5).map((r) => `${r.tool_name}:${r.status}`)).toEqual([
      'get_customer:invalid',
      'resources/read:ok',
      'search_documents:ok',
      'search_customers:ok',
      'whoami:ok',
    ]);
    await client.close();
  });

  it("serves as the user named by ERP_USER with that role's tools", async () => {
    const client = await connect({ ERP_USER: 'viewer@erp.local' });
    const me = (await client.callTool({ name: 'whoami', arguments: {} })) as CallToolResult;
    expect(me.structuredContent).toMatchObject({ user: { role: 'viewer' } });
    const denied = (await client.callTool({ name: 'create_customer', arguments: { name: 'X' } })) as CallToolResult;
    expect(denied.isError).toBe(true);
    await client.close();
  });

  it('stops with one clear line when ERP_USER does not exist', async () => {
    const failed = await run(process.execPath, [cli, 'stdio'], { env: { ...env, ERP_USER: 'nobody@erp.local' } }).catch(
      (e: { stderr: string; code: number }) => e,
    );
    expect((failed as { code: number }).code).toBe(1);
    expect((failed as { stderr: string }).stderr.trim()).toBe(
      'erp-mcp: No user with e-mail nobody@erp.local; add one with "erp-mcp user add nobody@erp.local --name NAME --role ROLE" ("erp-mcp user list" shows who exists)',
    );
  });

  it('--tools discover lists find_operation and call_operation, which serves any tool with one audit row', async () => {
    const client = await connect({}, ['--tools', 'discover']);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['call_operation', 'find_operation', 'whoami']);
    const found = (await client.callTool({
      name: 'call_operation',
      arguments: { name: 'search_customers', arguments: { query: 'muller' } },
    })) as CallToolResult;
    expect(found.structuredContent).toMatchObject({ items: [{ name: 'Müller Gartenbau GmbH' }] });
    const audit = (await client.callTool({
      name: 'call_operation',
      arguments: { name: 'list_tool_calls', arguments: { limit: 1 } },
    })) as CallToolResult;
    expect((audit.structuredContent as { items: unknown[] }).items).toEqual([
      expect.objectContaining({
        tool_name: 'search_customers',
        agent: 'sales via call_operation',
        input_json: { query: 'muller' },
        status: 'ok',
      }),
    ]);
    await client.close();
  });

  it('leaves an intact audit chain behind', async () => {
    const db = kind === 'postgres' ? pg! : await openPglite({ dataDir: join(dir, 'data') });
    const rows = await db.query<{ n: number }>("select count(*)::int as n from tool_calls where tool_name = 'whoami'");
    expect(rows[0]!.n).toBe(2);
    expect(await verifyAuditLog(db)).toMatchObject({ ok: true, first_broken_id: null });
    if (kind === 'pglite') await db.close();
  });
});
