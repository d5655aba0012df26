// The audit log's 32 chains (sql/017): a transaction that has appended holds its chain's head
// until it commits, and a request in flight meanwhile appends to another chain instead of waiting
// for that commit. Each chain stays a line, and verify_audit_log still finds an edited, deleted or
// reordered row, whichever chain it is in.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordToolCall } from '../../src/domain/platform/audit.js';
import { describePostgres, freshDb, type TestDb } from '../helpers/db.js';
import { connect, type TestClient } from '../helpers/mcp.js';

describePostgres('audit chains on %s', () => {
  let db: TestDb;
  let admin: TestClient;

  beforeAll(async () => {
    db = await freshDb('postgres');
    admin = await connect(db);
  });
  afterAll(async () => {
    await admin.close();
    await db.close();
  });

  it('lets a write commit while another transaction holds the chain it appended to', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let appended!: () => void;
    let failed!: (e: unknown) => void;
    const holding = new Promise<void>((r, j) => {
      appended = r;
      failed = j;
    });
    const held = db.transaction(async (tx) => {
      await tx.query('update customers set phone = phone where id = (select min(id) from customers)');
      const id = await recordToolCall(tx, {
        agent: 'test',
        tool_name: 'held',
        input: {},
        output: {},
        status: 'ok',
        error_code: null,
        duration_ms: 0,
        user_id: null,
      });
      appended();
      await released;
      return id;
    });
    held.catch(failed);
    await holding;
    // Both finish while the first transaction still holds its chain's head.
    const first = await admin.ok<{ id: number }>('create_customer', { name: 'Chain One' });
    const second = await admin.ok<{ id: number }>('create_customer', { name: 'Chain Two' });
    release();
    const heldId = await held;
    const rows = await db.query<{ id: number; tool_name: string; chain: number }>(
      `select id, tool_name, chain from tool_calls where tool_name in ('held', 'create_customer') order by id`,
    );
    const heldRow = rows.find((r) => r.id === heldId)!;
    const calls = rows.filter((r) => r.tool_name === 'create_customer');
    expect(calls.map((r) => r.chain)).toHaveLength(2);
    for (const r of calls) expect(r.chain).not.toBe(heldRow.chain);
    expect(first.id).toBeLessThan(second.id);
    expect(await admin.ok('verify_audit_log')).toMatchObject({ ok: true });
  });

  it('keeps every chain a line: each row links to the one before it in its chain', async () => {
    await Promise.all(Array.from({ length: 24 }, (_, i) => admin.ok('create_customer', { name: `Parallel ${i}` })));
    const [links] = await db.query<{ broken: number; chains: number }>(
      `select count(*) filter (where t.prev_hash <> coalesce(p.hash, repeat('0', 64)))::int as broken,
              count(distinct t.chain)::int as chains
       from tool_calls t
       left join tool_calls p on p.id = (select max(id) from tool_calls where id < t.id and chain = t.chain)`,
    );
    expect(links!.broken).toBe(0);
    expect(links!.chains).toBeGreaterThanOrEqual(2); // the held transaction's test put rows on two
  });

  it('verifies while writes commit on several chains: a row that commits after a higher id is not a broken link', async () => {
    const writers = await Promise.all(Array.from({ length: 6 }, () => connect(db)));
    const end = Date.now() + 4000;
    const writing = Promise.all(
      writers.map(async (w, i) => {
        for (let n = 0; Date.now() < end; n++) await w.ok('create_customer', { name: `Busy ${i}.${n}` });
      }),
    );
    const results: { ok: boolean; problem: string | null }[] = [];
    while (Date.now() < end) results.push(await admin.ok('verify_audit_log'));
    await writing;
    await Promise.all(writers.map((w) => w.close()));
    expect(results.length).toBeGreaterThan(0);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(await admin.ok('verify_audit_log')).toMatchObject({ ok: true });
  });

  it('finds a row deleted from a chain other than the first, at the next row of that chain', async () => {
    const [victim, next] = await db.query<{ id: number; chain: number }>(
      `select id, chain from tool_calls where chain = (select min(chain) from tool_calls where chain > 0) order by id limit 2`,
    );
    expect(next).toBeDefined(); // Chain One and Chain Two went to the same free chain, one after the other
    await db.owner.query('delete from tool_calls where id = $1', [victim!.id]);
    const v = await admin.ok<{ ok: boolean; first_broken_id: number; problem: string }>('verify_audit_log');
    expect(v).toMatchObject({ ok: false, first_broken_id: next!.id });
    expect(v.problem).toContain('link');
  });
});
