// PostgreSQL going away under load never ends the server: calls in flight fail with UNAVAILABLE,
// /healthz reports the outage, and calls succeed again once the database is back.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPostgres } from '../../src/db/postgres.js';
import { createToken } from '../../src/domain/platform/tokens.js';
import { requireUserByEmail } from '../../src/domain/platform/users.js';
import { describePostgres, freshDb, type TestDb } from '../helpers/db.js';
import { rpcBody } from '../helpers/rpc.js';

const cli = join(import.meta.dirname, '../../dist/cli.js');
const PORT = 3700 + (process.pid % 200);

describePostgres('losing the database on %s', () => {
  let db: TestDb;
  let server: ChildProcess;
  let token: string;
  let stderr = '';
  const url = `http://127.0.0.1:${PORT}`;
  const admin = () => openPostgres(process.env.DATABASE_URL!, { max: 1 });
  const dbName = () => new URL(db.url!).pathname.slice(1);

  beforeAll(async () => {
    db = await freshDb('postgres');
    token = (
      await db.transaction(async (tx) => createToken(tx, (await requireUserByEmail(tx, 'admin@erp.local')).id, 'loss'))
    ).token;
    server = spawn(process.execPath, [cli, 'http', '--port', String(PORT)], {
      env: { ...process.env, DATABASE_URL: db.url! },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    server.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    for (
      let i = 0;
      i < 100 &&
      !(await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      ));
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
  });
  afterAll(async () => {
    server.kill();
    const a = await admin();
    await a.exec(`alter database ${dbName()} allow_connections true`);
    await a.close();
    await db.close();
  });

  const call = async (name: string, args: Record<string, unknown>) => {
    const res = await fetch(`${url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${token}`,
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await rpcBody(res)) as {
      result?: { isError?: boolean; content: { text: string }[] };
      error?: { message: string };
    };
    return {
      status: res.status,
      text: body.result?.content[0]?.text ?? body.error?.message ?? '',
      ok: res.ok && !body.result?.isError,
    };
  };

  it('survives its connections being terminated under load, answering UNAVAILABLE meanwhile', async () => {
    const outcomes: { ok: boolean; text: string }[] = [];
    let running = true;
    const clients = Array.from({ length: 6 }, async (_, c) => {
      for (let i = 0; running; i++) {
        outcomes.push(
          await (i % 2
            ? call('search_customers', { query: 'Loss' })
            : call('create_customer', { name: `Loss ${c}.${i}` })),
        );
      }
    });
    const a = await admin();
    for (let round = 0; round < 5; round++) {
      await new Promise((r) => setTimeout(r, 300));
      await a.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [dbName()],
      );
    }
    await a.close();
    // Serving again afterwards is the point; on a loaded machine that takes longer than usual.
    const lastKill = outcomes.length;
    for (let t = 0; t < 150 && outcomes.slice(lastKill).filter((o) => o.ok).length <= 10; t++)
      await new Promise((r) => setTimeout(r, 100));
    running = false;
    await Promise.all(clients).catch((error: unknown) => {
      throw new Error(`a call failed: ${String(error)}; server stderr: ${stderr}`);
    });
    expect(server.exitCode, stderr).toBeNull();
    const failures = outcomes.filter((o) => !o.ok);
    for (const f of failures)
      expect(f.text, stderr).toMatch(
        /UNAVAILABLE: the database connection was lost; nothing was changed|cannot reach its database/,
      );
    expect(outcomes.filter((o) => o.ok).length).toBeGreaterThan(10);
    expect((await call('verify_audit_log', {})).ok).toBe(true);
  });

  it('reports an outage on /healthz, answers calls UNAVAILABLE within seconds, and serves again once the database is back', async () => {
    const stdio = new Client({ name: 'outage', version: '0' });
    await stdio.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [cli, 'stdio'],
        env: { ...process.env, DATABASE_URL: db.url! },
        stderr: 'ignore',
      }),
    );
    const a = await admin();
    await a.exec(`alter database ${dbName()} allow_connections false`);
    await a.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [dbName()],
    );
    const down = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(3000) });
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ database: 'down' });
    const during = await call('search_customers', {});
    expect(during.ok).toBe(false);
    expect(during.text).toMatch(/cannot reach its database|UNAVAILABLE: the database connection was lost/);
    const started = Date.now();
    const viaStdio = await stdio.callTool({ name: 'search_customers', arguments: {} });
    expect((viaStdio.content as { text: string }[])[0]!.text).toMatch(
      /^UNAVAILABLE: the database connection was lost; nothing was changed/,
    );
    expect(Date.now() - started).toBeLessThan(10_000); // the driver alone would wait for ever
    await a.exec(`alter database ${dbName()} allow_connections true`);
    await a.close();
    const back = Date.now();
    while (
      (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(3000) }).catch(() => ({ status: 0 }))).status !==
        200 &&
      Date.now() - back < 10_000
    )
      await new Promise((r) => setTimeout(r, 100));
    expect(Date.now() - back).toBeLessThan(5_000); // reconnects within a second or two, not after the driver's 20 s backoff
    expect((await call('search_customers', { query: 'Loss' })).ok).toBe(true);
    expect((await stdio.callTool({ name: 'search_customers', arguments: {} })).isError).toBeFalsy();
    await stdio.close();
    expect(server.exitCode, stderr).toBeNull();
  });
});
