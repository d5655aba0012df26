// Issue 16's check, as a person would do it: the official MCP Inspector (2.12) CLI, pointed at
// `erp-mcp http` with no token, finds the protected-resource metadata, registers itself, opens the
// sign-in page (here headless chromium, through $BROWSER), and lists exactly the signed-in user's
// tools; disabling the user then ends that sign-in.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPassword } from '../../src/domain/platform/passwords.js';
import { addUser, disableUser } from '../../src/domain/platform/user-admin.js';
import { startHttpServer, type RunningHttpServer } from '../../src/http.js';
import { canCall } from '../../src/tools/access.js';
import { TOOLSETS } from '../../src/domain/platform/roles.js';
import { allTools } from '../../src/tools/index.js';
import { freshDb, type TestDb } from '../helpers/db.js';
import { inspectorBin } from '../helpers/inspector.js';

const root = join(import.meta.dirname, '../..');
const PASSWORD = 'a long enough test password';

describe('MCP Inspector signing in through the built-in authorization server', () => {
  let dir: string;
  let db: TestDb;
  let server: RunningHttpServer;
  let browserLog: string;

  beforeAll(async () => {
    await inspectorBin();
    dir = await mkdtemp(join(tmpdir(), 'erp-inspector-oauth-'));
    browserLog = join(dir, 'browser.log');
    db = await freshDb('pglite');
    const sam = await db.transaction((tx) =>
      addUser(tx, { email: 'sam@inspector.test', name: 'Sam Sales', role: 'sales' }),
    );
    await db.transaction((tx) => setPassword(tx, sam.id, PASSWORD));
    server = await startHttpServer({ db, host: '127.0.0.1', port: 0, toolsets: [...TOOLSETS], oauth: { builtin: {} } });
    // $BROWSER is run with the URL as its argument (xdg-open's generic mode).
    const opener = join(dir, 'browser.sh');
    await writeFile(
      opener,
      `#!/bin/sh\nexec "${process.execPath}" "${join(root, 'tests/fixtures/sign-in-browser.mjs')}" "$@"\n`,
    );
    await chmod(opener, 0o755);
  }, 300_000);
  afterAll(async () => {
    await server?.close();
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const env = () => ({
    PATH: process.env.PATH ?? '',
    HOME: dir,
    MCP_CATALOG_PATH: join(dir, 'catalog.json'),
    MCP_INSPECTOR_SECRET_STORE: 'file',
    MCP_AUTO_OPEN_ENABLED: 'true',
    BROWSER: join(dir, 'browser.sh'),
    ERP_TEST_EMAIL: 'sam@inspector.test',
    ERP_TEST_PASSWORD: PASSWORD,
    ERP_TEST_BROWSER_LOG: browserLog,
    ...(process.env.ERP_CHROMIUM ? { ERP_CHROMIUM: process.env.ERP_CHROMIUM } : {}),
  });
  /** tools/list through the Inspector CLI; `stored` uses only the sign-in it kept (no browser). */
  const listTools = async (stored = false) => {
    const args = [
      await inspectorBin(),
      '--cli',
      server.url,
      '--method',
      'tools/list',
      ...(stored ? ['--stored-auth-only'] : []),
    ];
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: dir, env: env(), timeout: 120_000 });
    return (JSON.parse(stdout) as { tools: { name: string }[] }).tools.map((t) => t.name).sort();
  };
  const salesTools = () =>
    allTools
      .filter((t) => canCall({ role: 'sales' }, t))
      .map((t) => t.name)
      .sort();

  it("lists exactly the signed-in user's tools, with no token given, and again from its kept sign-in", async () => {
    expect(await listTools()).toEqual(salesTools());
    const pages = await readFile(browserLog, 'utf8');
    expect(pages).toMatch(/page \/oauth\/interaction\//); // the sign-in page was shown, and answered
    expect(pages, pages).toMatch(/landed http:\/\/(127\.0\.0\.1|localhost):\d+\//); // back at the Inspector's callback
    const [signIns] = await db.query<{ n: number }>(
      "select count(*)::int as n from tool_calls where agent = 'oauth' and status = 'ok'",
    );
    expect(signIns!.n).toBeGreaterThan(0);
    expect(await listTools(true)).toEqual(salesTools());
  }, 240_000);

  it('refuses that sign-in on the next request once the user is disabled', async () => {
    await db.transaction((tx) => disableUser(tx, { email: 'sam@inspector.test' }));
    const refused = await listTools(true).then(
      () => null,
      (error: { code?: number; stdout?: string; stderr?: string }) => error,
    );
    expect(refused, 'the Inspector still listed tools for a disabled user').not.toBeNull();
    expect(`${refused!.stdout}${refused!.stderr}`).toMatch(/auth_required|Unauthorized|invalid_grant/);
  }, 120_000);
});
