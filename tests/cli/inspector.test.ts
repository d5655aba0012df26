// The official MCP Inspector CLI drives the built server over stdio and over HTTP.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/domain/platform/tokens.js';
import { startHttpServer, type RunningHttpServer } from '../../src/http.js';
import { TOOLSETS } from '../../src/domain/platform/roles.js';
import { freshDb, type TestDb } from '../helpers/db.js';
import { inspectorBin } from '../helpers/inspector.js';
import { testModelDir } from '../helpers/mcp.js';

const root = join(import.meta.dirname, '../..');

describe('MCP Inspector CLI', () => {
  let dir: string;
  let env: Record<string, string>;
  const inspector = async (args: string[]) => {
    const { stdout } = await promisify(execFile)(process.execPath, [await inspectorBin(), '--cli', ...args], {
      env,
      cwd: root,
    });
    return JSON.parse(stdout) as Record<string, unknown>;
  };

  beforeAll(async () => {
    await inspectorBin(); // installed on first use, which may take a while (tests/helpers/inspector.ts)
    dir = await mkdtemp(join(tmpdir(), 'erp-inspector-'));
    env = { PATH: process.env.PATH ?? '', HOME: dir, MCP_CATALOG_PATH: join(dir, 'catalog.json') };
    const seed = {
      ...env,
      ERP_DATA_DIR: join(dir, 'data'),
      ERP_MODEL_DIR: testModelDir,
      ERP_EMBED_MODEL: 'local/glove-100d-sif',
    };
    await promisify(execFile)(process.execPath, [join(root, 'dist/cli.js'), 'seed', '--demo'], { env: seed });
  }, 300_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const stdio = () => [
    '-e',
    `ERP_DATA_DIR=${join(dir, 'data')}`,
    '-e',
    `ERP_MODEL_DIR=${testModelDir}`,
    '-e',
    'ERP_EMBED_MODEL=local/glove-100d-sif',
    process.execPath,
    join(root, 'dist/cli.js'),
    'stdio',
  ];

  it('lists tools, calls one and reads a resource over stdio', async () => {
    const list = await inspector([...stdio(), '--method', 'tools/list']);
    expect((list.tools as { name: string }[]).map((t) => t.name)).toEqual(
      expect.arrayContaining(['whoami', 'search_documents', 'check_books']),
    );
    const call = await inspector([
      ...stdio(),
      '--method',
      'tools/call',
      '--tool-name',
      'search_customers',
      '--tool-arg',
      'query=muller',
    ]);
    expect(call.structuredContent).toMatchObject({ items: [{ name: 'Müller Gartenbau GmbH' }] });
    const read = await inspector([...stdio(), '--method', 'resources/read', '--uri', 'erp://customers/4']);
    expect((read.contents as { text: string }[])[0]!.text).toContain('Müller Gartenbau GmbH');
  });

  it('finds no portability error in any tool schema (--strict), and sees the tools that open views', async () => {
    // --strict exits 6 when any schema problem is error-severity; execFile rejects on that.
    const { stderr } = await promisify(execFile)(
      process.execPath,
      [await inspectorBin(), '--cli', ...stdio(), '--method', 'tools/list', '--strict'],
      { env, cwd: root },
    );
    expect(stderr).toMatch(/\b0 errors\b/);
    expect(stderr).not.toMatch(/is an array/); // no list of types anywhere
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [await inspectorBin(), '--cli', ...stdio(), '--method', 'tools/list', '--app-info', '--advertise-apps'],
      { env, cwd: root },
    );
    const apps = stdout
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map(
        (l) => JSON.parse(l) as { toolName: string; hasApp: boolean; resourceUri?: string; resourceMimeType?: string },
      );
    const views = Object.fromEntries(apps.filter((a) => a.hasApp).map((a) => [a.toolName, a.resourceUri]));
    expect(views).toMatchObject({
      list_approvals: 'ui://erp/approvals',
      get_invoice: 'ui://erp/invoice',
      sales_report: 'ui://erp/dashboard',
      get_customer: 'ui://erp/customer',
    });
    expect(apps.filter((a) => a.hasApp).every((a) => a.resourceMimeType === 'text/html;profile=mcp-app')).toBe(true);
  });

  describe('over HTTP', () => {
    let db: TestDb;
    let server: RunningHttpServer;
    let token: string;
    beforeAll(async () => {
      db = await freshDb('pglite');
      token = (await db.transaction((tx) => createToken(tx, 1, 'inspector'))).token;
      server = await startHttpServer({ db, host: '127.0.0.1', port: 0, toolsets: [...TOOLSETS] });
    });
    afterAll(async () => {
      await server.close();
      await db.close();
    });

    it('lists tools, calls one and reads a resource with a bearer token', async () => {
      const http = [server.url, '--transport', 'http', '--header', `Authorization: Bearer ${token}`];
      const list = await inspector([...http, '--method', 'tools/list']);
      expect((list.tools as unknown[]).length).toBeGreaterThan(50);
      const me = await inspector([...http, '--method', 'tools/call', '--tool-name', 'whoami']);
      expect(me.structuredContent).toMatchObject({ user: { email: 'admin@erp.local' } });
      const schema = await inspector([...http, '--method', 'resources/read', '--uri', 'erp://schema']);
      expect((schema.contents as { text: string }[])[0]!.text).toContain('## tool_calls');
    });
  });
});
