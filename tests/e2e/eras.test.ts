// One end-to-end suite, run through the v2 client speaking protocol 2026-07-28 and speaking
// 2025-11-25, over stdio and Streamable HTTP, against the built CLI (`erp-mcp stdio`, one process
// per user, and `erp-mcp http`), on PGlite (every process sharing one data dir) and PostgreSQL.
// It covers what the rest of the suite checks in process: roles, audit, errors, approvals,
// progress, completions, resource links and pagination. Older revisions still spoken by clients
// (2025-06-18, 2025-03-26, 2024-11-05) get a handshake and a call on both transports.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Client,
  ProtocolError,
  StreamableHTTPClientTransport,
  type CallToolResult,
} from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDb } from '../../src/db/index.js';
import { openPglite } from '../../src/db/pglite.js';
import type { Db } from '../../src/db/types.js';
import { verifyAuditLog } from '../../src/domain/platform/audit.js';
import { createToken } from '../../src/domain/platform/tokens.js';
import { createUser, DEFAULT_ADMIN_EMAIL, requireUserByEmail } from '../../src/domain/platform/users.js';
import { dbKinds, freshDb, type TestDb } from '../helpers/db.js';
import { testModelDir } from '../helpers/mcp.js';

const cli = join(import.meta.dirname, '../../dist/cli.js');
const MODERN = '2026-07-28';
const LEGACY = '2025-11-25';
const OLDER = ['2025-06-18', '2025-03-26', '2024-11-05'];
const USERS = { admin: DEFAULT_ADMIN_EMAIL, clerk: 'clerk@e2e.test', viewer: 'viewer@e2e.test' } as const;
type Who = keyof typeof USERS;
type Transport = 'stdio' | 'http';

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

const clientOptions = (version: string) =>
  version === MODERN
    ? ({ versionNegotiation: { mode: { pin: MODERN } } } as const)
    : { supportedProtocolVersions: [version] };

const errorOf = (r: CallToolResult) =>
  r._meta?.['erp-mcp/error'] as { code: string; message: string; details?: { approval_id?: number } };
const textOf = (r: CallToolResult) =>
  r.content
    .filter((c) => c.type === 'text')
    .map((c) => (c as { text: string }).text)
    .join('\n');

describe.each(dbKinds)('MCP end to end on %s', (kind) => {
  let dir: string;
  let db: Db;
  let pg: TestDb | undefined;
  let env: Record<string, string>;
  let http: ChildProcess;
  let httpUrl: string;
  const tokens = {} as Record<Who, string>;
  const open: Client[] = [];

  beforeAll(async () => {
    if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run "npm run build" first (npm test does)');
    dir = await mkdtemp(join(tmpdir(), 'erp-e2e-'));
    const base = {
      ...(Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DATABASE_URL')) as Record<
        string,
        string
      >),
      ERP_MODEL_DIR: testModelDir,
      ERP_EMBED_MODEL: 'local/glove-100d-sif',
    };
    if (kind === 'postgres') {
      pg = await freshDb('postgres');
      db = pg;
      env = { ...base, DATABASE_URL: pg.url! };
    } else {
      // The migrated template on disk; this process then owns the data dir and the CLI processes
      // below join it as guests, as several clients on one machine do.
      const dataDir = join(dir, 'data');
      const seeded = await openPglite({ dataDir, loadDataDir: new Blob([await readFile(inject('pgliteTemplate'))]) });
      await seeded.close();
      db = await openDb({ dataDir });
      env = { ...base, ERP_DATA_DIR: dataDir };
    }
    await createUser(db, { name: 'E2E Clerk', email: USERS.clerk, role: 'inventory' });
    await createUser(db, { name: 'E2E Viewer', email: USERS.viewer, role: 'viewer' });
    for (const who of Object.keys(USERS) as Who[]) {
      const user = await requireUserByEmail(db, USERS[who]);
      tokens[who] = (await db.transaction((tx) => createToken(tx, user.id, `e2e ${who}`))).token;
    }
    const port = await freePort();
    httpUrl = `http://127.0.0.1:${port}/mcp`;
    http = spawn(process.execPath, [cli, 'http', '--port', String(port)], { env, stdio: 'ignore' });
    for (
      let i = 0;
      i < 300 &&
      !(await fetch(httpUrl.replace(/mcp$/, 'healthz')).then(
        (r) => r.ok,
        () => false,
      ));
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
  }, 120_000);

  afterAll(async () => {
    for (const c of open) await c.close().catch(() => {});
    http?.kill('SIGTERM');
    await new Promise((r) => (http?.exitCode === null ? http.once('exit', r) : r(null)));
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  /** A client of `who` speaking `version` over `transport`. */
  async function connect(transport: Transport, who: Who, version: string): Promise<Client> {
    const client = new Client({ name: `e2e-${who}`, version: '0.0.0' }, clientOptions(version));
    await client.connect(
      transport === 'stdio'
        ? new StdioClientTransport({
            command: process.execPath,
            args: [cli, 'stdio'],
            env: { ...env, ERP_USER: USERS[who] },
            stderr: 'pipe',
          })
        : new StreamableHTTPClientTransport(new URL(httpUrl), {
            requestInit: { headers: { Authorization: `Bearer ${tokens[who]}` } },
          }),
    );
    open.push(client);
    return client;
  }

  describe.each([
    ['stdio', MODERN],
    ['stdio', LEGACY],
    ['http', MODERN],
    ['http', LEGACY],
  ] as [Transport, string][])('over %s on protocol %s', (transport, version) => {
    let admin: Client;
    let clerk: Client;
    let viewer: Client;
    const tag = `${transport}-${version}`;

    beforeAll(async () => {
      [admin, clerk, viewer] = (await Promise.all(
        (['admin', 'clerk', 'viewer'] as Who[]).map((who) => connect(transport, who, version)),
      )) as [Client, Client, Client];
    }, 120_000);

    const call = (c: Client, name: string, args: Record<string, unknown> = {}) =>
      c.callTool({ name, arguments: args }) as Promise<CallToolResult>;
    const ok = async <T = Record<string, unknown>>(c: Client, name: string, args: Record<string, unknown> = {}) => {
      const r = await call(c, name, args);
      expect(r.isError, `${name}: ${textOf(r)}`).toBeFalsy();
      return r.structuredContent as T;
    };

    it('negotiates the revision and describes the server', () => {
      expect(admin.getNegotiatedProtocolVersion()).toBe(version);
      expect(admin.getServerVersion()?.name).toBe('erp-mcp');
      expect(Object.keys(admin.getServerCapabilities() ?? {})).toEqual(
        expect.arrayContaining(['tools', 'resources', 'prompts', 'completions']),
      );
      expect(admin.getInstructions()).toContain('whoami');
    });

    it('lists each role only its tools, and refuses the rest on the server with a machine code', async () => {
      const adminTools = (await admin.listTools()).tools.map((t) => t.name);
      const viewerTools = (await viewer.listTools()).tools.map((t) => t.name);
      expect(adminTools).toContain('create_customer');
      expect(viewerTools).toContain('search_customers');
      expect(viewerTools).not.toContain('create_customer');
      const denied = await call(viewer, 'create_customer', { name: 'Not allowed' });
      expect(denied.isError).toBe(true);
      expect(errorOf(denied).code).toBe('FORBIDDEN');
      expect(textOf(denied)).toBe(`FORBIDDEN: ${errorOf(denied).message}`);
      const bad = await call(admin, 'create_customer', {});
      expect(errorOf(bad).code).toBe('INVALID_INPUT');
      expect(errorOf(bad).message).toMatch(/^name: /);
    });

    it('returns structured content with the same data in text, and pages with a cursor', async () => {
      const names = [`Era ${tag} Alpha`, `Era ${tag} Beta`];
      for (const name of names) {
        const r = await call(admin, 'create_customer', { name });
        expect(r.isError).toBeFalsy();
        expect((r.structuredContent as { name: string }).name).toBe(name);
        expect(textOf(r)).toContain(name);
      }
      const first = await ok<{ items: { name: string }[]; next_cursor: string | null }>(viewer, 'search_customers', {
        query: `Era ${tag}`,
        limit: 1,
      });
      expect(first.items).toHaveLength(1);
      expect(first.next_cursor).toBeTruthy();
      const second = await ok<{ items: { name: string }[]; next_cursor: string | null }>(viewer, 'search_customers', {
        query: `Era ${tag}`,
        limit: 1,
        cursor: first.next_cursor,
      });
      expect([first.items[0]!.name, second.items[0]!.name].sort()).toEqual(names);
      expect(second.next_cursor).toBeNull();
    });

    it("holds a large write-off for another user's approval, and four eyes hold", async () => {
      const product = await ok<{ id: number }>(admin, 'create_product', {
        sku: `E2E-${tag}`,
        name: `Fragile ${tag}`,
        price: '900.00',
        cost: '500.00',
      });
      await ok(admin, 'receive_stock', { product_id: product.id, quantity: 20 });
      const held = await call(clerk, 'adjust_stock', {
        product_id: product.id,
        change_qty: -10,
        reason: 'Dropped pallet',
        kind: 'write_off',
      });
      expect(errorOf(held).code).toBe('APPROVAL_REQUIRED');
      const approvalId = errorOf(held).details!.approval_id!;
      const own = await call(clerk, 'decide_approval', { approval_id: approvalId, decision: 'approve' });
      expect(own.isError).toBe(true);
      const decided = await ok<{ status: string }>(admin, 'decide_approval', {
        approval_id: approvalId,
        decision: 'approve',
      });
      expect(decided.status).toBe('executed');
    });

    it('reports progress while ingesting, and links the result to its resource', async () => {
      const steps: number[] = [];
      const text = Array.from(
        { length: 40 },
        (_, i) =>
          `## Section ${i}\n\nThe ${tag} returns policy, paragraph ${i}: goods may be returned within thirty days.`,
      ).join('\n\n');
      const r = (await admin.callTool(
        { name: 'ingest_document', arguments: { text, module: 'e2e', title: `Policy ${tag}` } },
        { onprogress: (p) => void steps.push(p.progress) },
      )) as CallToolResult;
      expect(r.isError, textOf(r)).toBeFalsy();
      expect(steps.length).toBeGreaterThan(0);
      const id = (r.structuredContent as { document_id: number }).document_id;
      expect(r.content).toContainEqual(
        expect.objectContaining({ type: 'resource_link', uri: `erp://documents/${id}` }),
      );
      const read = await viewer.readResource({ uri: `erp://documents/${id}` });
      expect((read.contents[0] as { text: string }).text).toContain('returns policy');
    });

    it('lists, reads and completes resources, and answers a missing one with -32602', async () => {
      const page = await viewer.request({ method: 'resources/list', params: {} });
      expect(page.resources[0]!.uri).toBe('erp://schema');
      const templates = (await viewer.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate);
      expect(templates).toContain('erp://customers/{id}');
      const customer = await ok<{ id: number }>(admin, 'create_customer', { name: `Completable ${tag}` });
      const done = await viewer.complete({
        ref: { type: 'ref/resource', uri: 'erp://customers/{id}' },
        argument: { name: 'id', value: `Completable ${tag}` },
      });
      expect(done.completion).toMatchObject({ values: [String(customer.id)], hasMore: false, total: 1 });
      const read = await viewer.readResource({ uri: `erp://customers/${customer.id}` });
      expect((read.contents[0] as { text: string }).text).toContain(`Completable ${tag}`);
      const missing = await viewer.readResource({ uri: 'erp://customers/999999' }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(missing).toBeInstanceOf(ProtocolError);
      expect(missing).toMatchObject({ code: -32602, data: { uri: 'erp://customers/999999' } });
    });

    it('offers each role only the prompts it may use, and renders them from live data', async () => {
      expect((await admin.listPrompts()).prompts.map((p) => p.name).sort()).toEqual([
        'customer_briefing',
        'month_end_close',
      ]);
      expect((await viewer.listPrompts()).prompts.map((p) => p.name)).toEqual(['customer_briefing']);
      const customer = await ok<{ id: number }>(admin, 'create_customer', { name: `Briefed ${tag}` });
      const prompt = await viewer.getPrompt({
        name: 'customer_briefing',
        arguments: { customer_id: String(customer.id) },
      });
      expect(JSON.stringify(prompt.messages)).toContain(`Briefed ${tag}`);
      const refused = await viewer.getPrompt({ name: 'month_end_close', arguments: { month: '2026-10' } }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(refused).toMatchObject({ code: -32600, data: { code: 'FORBIDDEN' } });
    });

    it('audits every request in an intact chain', async () => {
      const before = (await db.query<{ n: number }>('select count(*)::int as n from tool_calls'))[0]!.n;
      await ok(viewer, 'whoami');
      await viewer.readResource({ uri: 'erp://schema' });
      await call(viewer, 'no_such_tool');
      const rows = await db.query<{ tool_name: string; status: string }>(
        'select tool_name, status from tool_calls order by id desc limit 3',
      );
      expect(rows.map((r) => `${r.tool_name}:${r.status}`)).toEqual([
        'no_such_tool:invalid',
        'resources/read:ok',
        'whoami:ok',
      ]);
      expect((await db.query<{ n: number }>('select count(*)::int as n from tool_calls'))[0]!.n).toBe(before + 3);
      expect((await verifyAuditLog(db)).ok).toBe(true);
    });
  });

  it.each(['stdio', 'http'] as Transport[])(
    'still speaks the older revisions over %s',
    async (transport) => {
      for (const version of OLDER) {
        const client = await connect(transport, 'viewer', version);
        expect(client.getNegotiatedProtocolVersion()).toBe(version);
        const me = (await client.callTool({ name: 'whoami', arguments: {} })) as CallToolResult;
        expect(me.isError).toBeFalsy();
        expect((me.structuredContent as { user: { role: string } }).user.role).toBe('viewer');
        await client.close();
      }
    },
    120_000,
  );
});
