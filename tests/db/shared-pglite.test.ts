// One embedded data dir, many processes: two stdio servers, an HTTP server and CLI commands write
// at once; killing the PGlite owner with -9 loses nothing committed and hands out no id twice.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/index.js';
import { socketPathFor } from '../../src/db/owner-lock.js';
import { verifyAuditLog } from '../../src/domain/platform/audit.js';
import { testModelDir } from '../helpers/mcp.js';
import { rpcBody } from '../helpers/rpc.js';

const cli = join(import.meta.dirname, '../../dist/cli.js');
const run = promisify(execFile);

interface Outcome {
  ok: boolean;
  id?: number;
  text: string;
}
type Caller = (name: string, args: Record<string, unknown>) => Promise<Outcome>;

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

function outcome(result: CallToolResult | undefined, fallback: string): Outcome {
  const text = result?.content?.map((c) => (c.type === 'text' ? c.text : '')).join('\n') ?? fallback;
  const id = (result?.structuredContent as { id?: number } | undefined)?.id;
  return { ok: !!result && !result.isError, id, text };
}

describe("the owner's socket path", () => {
  it('sits in the data dir, or in the temp dir when the data dir is too deep for a Unix socket', () => {
    expect(socketPathFor('/srv/erp/.erp-data')).toBe('/srv/erp/.erp-data/erp-mcp.sock');
    const deep = `/home/someone/${'projects/'.repeat(12)}.erp-data`;
    const fallback = socketPathFor(deep);
    expect(fallback.startsWith(tmpdir())).toBe(true);
    expect(Buffer.byteLength(fallback)).toBeLessThanOrEqual(103);
    expect(socketPathFor(deep)).toBe(fallback); // every process finds the same one
    expect(socketPathFor(`${deep}2`)).not.toBe(fallback);
  });
});

describe('many erp-mcp processes on one PGlite data dir', () => {
  let dir: string;
  let env: Record<string, string>;
  const stdio: { client: Client; transport: StdioClientTransport }[] = [];
  let http: ReturnType<typeof spawn>;
  let httpUrl: string;

  beforeAll(async () => {
    if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run "npm run build" first (npm test does)');
    dir = await mkdtemp(join(tmpdir(), 'erp-share-'));
    env = {
      ...(Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DATABASE_URL')) as Record<
        string,
        string
      >),
      ERP_DATA_DIR: join(dir, 'data'),
      ERP_MODEL_DIR: testModelDir,
      ERP_EMBED_MODEL: 'local/glove-100d-sif',
    };
    await run(process.execPath, [cli, 'migrate'], { env });
    for (let i = 0; i < 2; i++) {
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [cli, 'stdio'],
        env,
        stderr: 'pipe',
      });
      const client = new Client({ name: `share-${i}`, version: '0.0.0' });
      await client.connect(transport);
      stdio.push({ client, transport });
    }
    const port = await freePort();
    httpUrl = `http://127.0.0.1:${port}`;
    http = spawn(process.execPath, [cli, 'http', '--port', String(port)], { env, stdio: 'ignore' });
    for (
      let i = 0;
      i < 300 &&
      !(await fetch(`${httpUrl}/healthz`).then(
        (r) => r.ok,
        () => false,
      ));
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
  }, 120_000);

  afterAll(async () => {
    for (const s of stdio) await s.client.close().catch(() => {});
    http?.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  const viaStdio =
    (i: number): Caller =>
    async (name, args) => {
      try {
        return outcome(
          (await stdio[i]!.client.callTool({ name, arguments: args }, { timeout: 60_000 })) as CallToolResult,
          '',
        );
      } catch (error) {
        return { ok: false, text: String(error) };
      }
    };
  const viaHttp =
    (token: string): Caller =>
    async (name, args) => {
      const res = await fetch(`${httpUrl}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          authorization: `Bearer ${token}`,
          'mcp-protocol-version': '2025-06-18',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
        signal: AbortSignal.timeout(60_000),
      }).catch((error: unknown) => error as Error);
      if (res instanceof Error) return { ok: false, text: String(res) };
      const body = (await rpcBody(res).catch(() => ({}))) as { result?: CallToolResult; error?: { message: string } };
      return outcome(body.result, body.error?.message ?? `HTTP ${res.status}`);
    };

  /** Creates customers named `<prefix> n#attempt`; an UNAVAILABLE answer is retried under a new name. */
  async function createMany(
    call: Caller,
    prefix: string,
    count: number,
    made: Map<string, number>,
    unavailable: string[],
  ) {
    for (let n = 0; n < count; n++) {
      for (let attempt = 0; ; attempt++) {
        const name = `${prefix} ${n}#${attempt}`;
        const result = await call('create_customer', { name });
        if (result.ok) {
          made.set(name, result.id!);
          break;
        }
        expect(result.text, `${name}: ${result.text}`).toMatch(/UNAVAILABLE|connection was lost/);
        unavailable.push(name);
        expect(attempt, `${name} still unavailable after many retries`).toBeLessThan(60);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  it('keeps every write and hands out no id twice, through CLI commands and a kill -9 of the owner', async () => {
    const made = new Map<string, number>();
    const unavailable: string[] = [];
    // A token made while the HTTP server runs is one the server accepts.
    const created = await run(process.execPath, [cli, 'token', 'create', '--user', 'admin@erp.local'], { env });
    const token = created.stdout.trim().split('\n').pop()!;
    const health = await run(process.execPath, [cli, 'health'], { env });
    expect(health.stderr).toMatch(/ok {3}migrations/);

    const callers = [viaStdio(0), viaStdio(1), viaHttp(token)];
    await Promise.all(callers.map((call, i) => createMany(call, `Before ${i}`, 10, made, unavailable)));
    expect(made.size).toBe(30);
    expect(unavailable).toEqual([]);

    const lock = JSON.parse(await readFile(join(dir, 'data', 'erp-mcp.lock'), 'utf8')) as { pid: number };
    const ownerIndex = stdio.findIndex((s) => s.transport.pid === lock.pid);
    expect(ownerIndex, 'the first stdio server, started first, owns the data dir').toBe(0);
    const writing = callers.slice(1).map((call, i) => createMany(call, `After ${i}`, 10, made, unavailable));
    await new Promise((r) => setTimeout(r, 200));
    process.kill(lock.pid, 'SIGKILL');
    await Promise.all(writing);
    expect(made.size).toBe(50);

    const successor = JSON.parse(await readFile(join(dir, 'data', 'erp-mcp.lock'), 'utf8')) as { pid: number };
    expect([stdio[1]!.transport.pid, http.pid]).toContain(successor.pid);

    // An owner that stops normally hands over too: the survivor takes the data dir on its next call.
    const stopHttp = async () => {
      http.kill('SIGTERM');
      await new Promise((r) => http.once('exit', r));
    };
    if (successor.pid === http.pid) {
      await stopHttp();
      await createMany(callers[1]!, 'Last', 5, made, unavailable);
      await stdio[1]!.client.close();
    } else {
      await stdio[1]!.client.close();
      await createMany(callers[2]!, 'Last', 5, made, unavailable);
      await stopHttp();
    }
    expect(made.size).toBe(55);
    const db = await openDb({ dataDir: join(dir, 'data') });
    try {
      const rows = await db.query<{ id: number; name: string }>(
        "select id, name from customers where name ~ '^(Before|After|Last) '",
      );
      const byName = new Map<string, number[]>();
      for (const r of rows) byName.set(r.name, [...(byName.get(r.name) ?? []), r.id]);
      for (const [name, id] of made) expect(byName.get(name), name).toEqual([id]);
      expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
      expect(await verifyAuditLog(db)).toMatchObject({ ok: true, first_broken_id: null });
    } finally {
      await db.close();
    }
  }, 240_000);
});
