// What a newcomer tries first: the version, no command at all, seeding twice, and the banner and
// client settings a server started in a terminal prints.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientEnv, loadConfig } from '../../src/config.js';
import { openDb } from '../../src/db/index.js';
import type { DemoCounts } from '../../src/demo/seed.js';
import { redact } from '../../src/health.js';
import { dbKinds, freshDb, type TestDb } from '../helpers/db.js';
import { testModelDir } from '../helpers/mcp.js';

const root = join(import.meta.dirname, '../..');
const cli = join(root, 'dist/cli.js');
const offlineModel = { ERP_MODEL_DIR: testModelDir, ERP_EMBED_MODEL: 'local/glove-100d-sif' };
const run = (args: string[], env: Record<string, string> = {}, input?: string) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      [cli, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(input ?? '');
  });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'erp-newcomer-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the erp-mcp command', () => {
  it('--version and -V print the package version', async () => {
    const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V'])
      expect(await run([flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('with no command prints the help on stdout and succeeds', async () => {
    const r = await run([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: erp-mcp \[options\] \[command\]/);
    expect(r.stdout).toContain('seed [options]');
  });

  it('still refuses an unknown command', async () => {
    const r = await run(['serve']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unknown command 'serve'");
  });
});

describe('seed --demo, twice', () => {
  const counts = (line: string) =>
    line
      .match(/(\d+) customers, (\d+) products, (\d+) suppliers, (\d+) users, (\d+) orders, (\d+) invoices/)!
      .slice(1)
      .map(Number);

  it('prints what it added, then that it changed nothing, with the counts the database holds', async () => {
    const env = { ERP_DATA_DIR: join(dir, 'seeded'), ...offlineModel };
    const first = await run(['seed', '--demo'], env);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/^Demo company loaded: .* added to the embedded database in .*seeded$/m);
    const second = await run(['seed', '--demo'], env);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(
      /^Demo company already loaded \(since .*\) and left as it is: the embedded database in .*seeded holds /m,
    );
    expect(second.stderr).toMatch(/^Demo documents: 0 indexed, 2\d unchanged$/m);

    const db = await openDb(loadConfig(env));
    try {
      const [held] = await db.query<DemoCounts>(`select (select count(*)::int from customers) as customers,
        (select count(*)::int from products) as products, (select count(*)::int from suppliers) as suppliers,
        (select count(*)::int from users) as users, (select count(*)::int from orders) as orders, (select count(*)::int from invoices) as invoices`);
      const inDb = [held!.customers, held!.products, held!.suppliers, held!.users, held!.orders, held!.invoices];
      expect(counts(second.stderr)).toEqual(inDb);
      expect(counts(first.stderr)).toEqual(inDb.map((n, i) => (i === 3 ? n - 1 : n))); // the admin was there before the seed
    } finally {
      await db.close();
    }
  }, 180_000);
});

describe.each(dbKinds)('the stdio banner on %s', (kind) => {
  let pg: TestDb | undefined;
  beforeAll(async () => {
    if (kind === 'postgres') pg = await freshDb('postgres');
  });
  afterAll(() => pg?.close());

  it('names the database actually used', async () => {
    const env = pg
      ? { DATABASE_URL: pg.url!, ...offlineModel }
      : { ERP_DATA_DIR: join(dir, 'banner'), ...offlineModel };
    const r = await run(['stdio'], env); // stdin ends at once: the server starts, says where, and stops
    expect(r.code).toBe(0);
    const banner = r.stderr.split('\n').find((l) => l.startsWith('erp-mcp: serving'));
    expect(banner).toMatch(pg ? / on PostgreSQL at postgres:\/\// : / on the embedded database in .*banner$/);
    if (pg) expect(banner!.endsWith(` on PostgreSQL at ${redact(pg.url!)}`)).toBe(true); // never the password
  }, 120_000);
});

describe('the client settings printed for Claude Desktop', () => {
  it('carry the model, user and toolsets in use, with absolute paths', () => {
    const cfg = loadConfig({
      ERP_DATA_DIR: 'data',
      ERP_MODEL_DIR: 'models',
      ERP_EMBED_MODEL: 'local/x',
      ERP_USER: 'finance@erp.local',
      ERP_TOOLSETS: 'finance',
    });
    expect(clientEnv(cfg)).toEqual({
      ERP_DATA_DIR: join(process.cwd(), 'data'),
      ERP_MODEL_DIR: join(process.cwd(), 'models'),
      ERP_EMBED_MODEL: 'local/x',
      ERP_USER: 'finance@erp.local',
      ERP_TOOLSETS: 'finance',
    });
    expect(loadConfig(clientEnv(cfg))).toEqual(cfg);
  });

  it('leave defaults out, and name PostgreSQL instead of a data dir', () => {
    expect(clientEnv(loadConfig({}))).toEqual({ ERP_DATA_DIR: join(process.cwd(), '.erp-data') });
    expect(
      clientEnv(loadConfig({ DATABASE_URL: 'postgres://u:p@db/erp', ERP_EMBED_MODEL: 'Xenova/bge-small-en-v1.5' })),
    ).toEqual({ DATABASE_URL: 'postgres://u:p@db/erp', ERP_EMBED_MODEL: 'Xenova/bge-small-en-v1.5' });
  });
});
