// `erp-mcp user …` end to end: the built CLI manages users without SQL, takes passwords only from
// stdin, answers refusals in one line with a non-zero exit, and audits every change.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/db/pglite.js';
import type { Db } from '../../src/db/types.js';
import { verifyAuditLog } from '../../src/domain/platform/audit.js';
import { verifyPassword } from '../../src/domain/platform/passwords.js';
import { dbKinds, freshDb, type TestDb } from '../helpers/db.js';
import { testModelDir } from '../helpers/mcp.js';

const cli = join(import.meta.dirname, '../../dist/cli.js');
const PASSWORD = 'a passphrase long enough';

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe.each(dbKinds)('erp-mcp user on %s', (kind) => {
  let dir: string;
  let pg: TestDb | undefined;
  let env: Record<string, string>;

  /** Runs the CLI with stdin (closed at once when none is given). */
  const run = (args: string[], stdin = '', extraEnv: Record<string, string> = {}) =>
    new Promise<Ran>((resolve, reject) => {
      const child = spawn(process.execPath, [cli, ...args], { env: { ...env, ...extraEnv } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(stdin);
    });
  const ok = async (args: string[], stdin?: string) => {
    const ran = await run(args, stdin);
    expect(ran.code, ran.stderr).toBe(0);
    return ran.stderr;
  };
  const refused = async (args: string[], stdin?: string, extraEnv?: Record<string, string>) => {
    const ran = await run(args, stdin, extraEnv);
    expect(ran.code, ran.stderr).toBe(1);
    expect(ran.stderr.trim().split('\n'), ran.stderr).toHaveLength(1);
    return ran.stderr.trim();
  };
  /** The database, opened only while no CLI process runs (the embedded one has one owner at a time). */
  const withDb = async <T>(fn: (db: Db) => Promise<T>): Promise<T> => {
    if (pg) return fn(pg);
    const db = await openPglite({ dataDir: join(dir, 'data') });
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  };

  beforeAll(async () => {
    if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run "npm run build" first (npm test does)');
    dir = await mkdtemp(join(tmpdir(), 'erp-cli-users-'));
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
      env = { ...base, DATABASE_URL: pg.url! };
    } else {
      env = { ...base, ERP_DATA_DIR: join(dir, 'data') };
    }
  });
  afterAll(async () => {
    await pg?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('user add creates a user, with a password from stdin, and user list shows it without the hash', async () => {
    expect(
      await ok(
        ['user', 'add', 'Kim@CLI.test', '--name', 'Kim Keller', '--role', 'finance', '--password-stdin'],
        `${PASSWORD}\n`,
      ),
    ).toMatch(/User \d+ added: Kim Keller <kim@cli\.test>, role finance, password set/);
    const listed = await ok(['user', 'list']);
    expect(listed).toMatch(/\tkim@cli\.test\tKim Keller\tfinance\tactive\tpassword set/);
    expect(listed).toMatch(/\tadmin@erp\.local\tAdministrator\tadmin\tactive\tno password/);
    expect(listed).not.toContain('scrypt');
    expect(await withDb((db) => verifyPassword(db, 'kim@cli.test', PASSWORD))).toMatchObject({
      email: 'kim@cli.test',
      role: 'finance',
    });
  }, 60_000);

  it('refuses bad input in one line with exit code 1', async () => {
    expect(await refused(['user', 'add', 'kim@cli.test', '--name', 'Kim Again', '--role', 'sales'])).toContain(
      'already exists',
    );
    expect(await refused(['user', 'add', 'lee@cli.test', '--name', 'Lee', '--role', 'owner'])).toContain(
      'role must be one of admin, sales',
    );
    expect(
      await refused(['user', 'add', 'lee@cli.test', '--name', 'Lee', '--role', 'sales', '--password-stdin'], 'short\n'),
    ).toContain('at least 12 characters');
    expect(await refused(['user', 'set-role', 'admin@erp.local', 'viewer'])).toContain('last active admin');
    expect(await refused(['user', 'disable', 'admin@erp.local'])).toContain('last active admin');
    expect(await refused(['user', 'password', 'nobody@cli.test', '--password-stdin'], PASSWORD)).toContain(
      'does not exist',
    );
    const lee = await withDb((db) => db.query("select 1 from users where email = 'lee@cli.test'"));
    expect(lee).toEqual([]); // the refused add with a short password added nobody
  }, 60_000);

  it('passwords come only from stdin', async () => {
    const ran = await run(['user', 'password', 'kim@cli.test', PASSWORD]);
    expect(ran.code).not.toBe(0);
    expect(await ok(['user', 'password', 'kim@cli.test', '--password-stdin'], 'another long passphrase\r\n')).toContain(
      'Password of kim@cli.test set',
    );
    expect(await withDb((db) => verifyPassword(db, 'kim@cli.test', 'another long passphrase'))).toBeDefined();
  }, 60_000);

  it('set-role, disable and enable; a disabled user can use neither tokens nor ERP_USER', async () => {
    expect(await ok(['user', 'set-role', 'kim@cli.test', 'analyst'])).toContain('role analyst (was finance)');
    await ok(['token', 'create', '--user', 'kim@cli.test']);
    expect(await ok(['user', 'disable', 'kim@cli.test', '--reason', 'on leave'])).toContain(
      'disabled; 1 token(s) revoked',
    );
    expect(await refused(['stdio'], '', { ERP_USER: 'kim@cli.test' })).toMatch(
      /User kim@cli\.test is disabled; .*erp-mcp user enable kim@cli\.test/,
    );
    expect(await refused(['token', 'create', '--user', 'kim@cli.test'])).toContain('is disabled');
    expect(await ok(['user', 'enable', 'kim@cli.test'])).toContain('enabled');
    expect(await ok(['user', 'list'])).toMatch(/\tkim@cli\.test\tKim Keller\tanalyst\tactive/);
  }, 90_000);

  it('token create for an unknown e-mail says how to add the user', async () => {
    expect(await refused(['token', 'create', '--user', 'ghost@cli.test'])).toContain(
      'erp-mcp user add ghost@cli.test --name NAME --role ROLE',
    );
  }, 30_000);

  it('every change is audited as a cli call, refusals too, never with the password', async () => {
    const rows = await withDb((db) =>
      db.query<{ tool_name: string; status: string; input_json: unknown; user_id: number | null }>(
        "select tool_name, status, input_json, user_id from tool_calls where agent = 'cli' order by id",
      ),
    );
    expect(rows.map((r) => `${r.tool_name}:${r.status}`)).toEqual([
      'user add:ok',
      'user add:error',
      'user add:invalid',
      'user add:invalid',
      'user set-role:error',
      'user disable:error',
      'user password:error',
      'user password:ok',
      'user set-role:ok',
      'user disable:ok',
      'user enable:ok',
    ]);
    expect(rows.every((r) => r.user_id === null)).toBe(true);
    expect(JSON.stringify(rows)).not.toMatch(/passphrase|scrypt/);
    expect(rows.find((r) => r.tool_name === 'user disable' && r.status === 'ok')?.input_json).toEqual({
      email: 'kim@cli.test',
      reason: 'on leave',
    });
    expect(await withDb((db) => verifyAuditLog(db))).toMatchObject({ ok: true });
  }, 30_000);
});
