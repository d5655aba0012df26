// kill -9 under write load: a call's work and its audit row commit together, so after any number
// of crashes every committed customer and journal entry has the audit row of the call that made
// it, the chain verifies and the books balance.
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/types.js';
import { openPglite } from '../../src/db/pglite.js';
import { checkBooks } from '../../src/domain/finance/checks.js';
import { verifyAuditLog } from '../../src/domain/platform/audit.js';
import { dbKinds, freshDb, type TestDb } from '../helpers/db.js';

const cli = join(import.meta.dirname, '../../dist/cli.js');
const ROUNDS = 10;

describe.each(dbKinds)('kill -9 under write load on %s', (kind) => {
  let dir: string;
  let pg: TestDb | undefined;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'erp-crash-'));
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DATABASE_URL')) as Record<
      string,
      string
    >;
    if (kind === 'postgres') pg = await freshDb('postgres');
    env = kind === 'postgres' ? { ...base, DATABASE_URL: pg!.url! } : { ...base, ERP_DATA_DIR: join(dir, 'data') };
  });
  afterAll(async () => {
    await pg?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Starts a server, writes from 4 clients until killed after `ms`, and returns how many calls answered ok. */
  async function writeUntilKilled(round: number, ms: number): Promise<number> {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [cli, 'stdio'],
      env,
      stderr: 'ignore',
    });
    const client = new Client({ name: 'crash', version: '0' });
    await client.connect(transport);
    const child = (transport as unknown as { _process: ChildProcess })._process;
    let ok = 0;
    let alive = true;
    const writer = async (w: number) => {
      for (let i = 0; alive; i++) {
        const r = await client
          .callTool({ name: 'create_customer', arguments: { name: `Crash ${round}.${w}.${i}` } })
          .catch(() => null);
        const e = await client
          .callTool({
            name: 'post_journal_entry',
            arguments: {
              entry_date: new Date().toISOString().slice(0, 10),
              memo: `crash ${round}.${w}.${i}`,
              lines: [
                { account: '6000', debit: '1.25' },
                { account: '1000', credit: '1.25' },
              ],
            },
          })
          .catch(() => null);
        ok += Number(!!r && !r.isError) + Number(!!e && !e.isError);
      }
    };
    const writers = Array.from({ length: 4 }, (_, w) => writer(w));
    await new Promise((r) => setTimeout(r, ms));
    child.kill('SIGKILL');
    alive = false;
    await Promise.all(writers);
    await client.close().catch(() => {});
    return ok;
  }

  it(`leaves no committed write without its audit row after ${ROUNDS} crashes`, async () => {
    let answered = 0;
    for (let round = 0; round < ROUNDS; round++) answered += await writeUntilKilled(round, 300 + ((round * 137) % 500));
    expect(answered).toBeGreaterThan(ROUNDS);
    const db: Db = kind === 'postgres' ? pg! : await openPglite({ dataDir: join(dir, 'data') });
    try {
      const unaudited = await db.query(`
        select 'customer' as kind, c.id from customers c where c.name like 'Crash %' and not exists (
          select 1 from tool_calls t where t.tool_name = 'create_customer' and t.status = 'ok' and (t.output_json->>'id')::int = c.id)
        union all
        select 'entry', e.id from ledger_entries e where e.memo like 'crash %' and not exists (
          select 1 from tool_calls t where t.tool_name = 'post_journal_entry' and t.status = 'ok' and (t.output_json->>'id')::int = e.id)`);
      expect(unaudited).toEqual([]);
      const [written] = await db.query<{ n: number }>(
        "select count(*)::int as n from customers where name like 'Crash %'",
      );
      expect(written!.n).toBeGreaterThanOrEqual(ROUNDS);
      expect((await db.transaction((tx) => verifyAuditLog(tx))).ok).toBe(true);
      expect((await db.transaction((tx) => checkBooks(tx))).checks.filter((c) => !c.ok)).toEqual([]);
    } finally {
      if (kind === 'pglite') await db.close();
    }
  }, 240_000);
});
