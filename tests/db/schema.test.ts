import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMigrations, migrate, pendingMigrations } from '../../src/db/migrate.js';
import { dbKinds, freshDb, type TestDb } from '../helpers/db.js';

/** Every table of the seed schema with the columns it names, read from the seed file itself. */
function seedSchema(): Map<string, string[]> {
  const text = readFileSync(new URL('../../../shared/seed/000_ebcda035dbb946c2.txt', import.meta.url), 'utf8');
  const tables = new Map<string, string[]>();
  for (const m of text.matchAll(/^\|\s*\*\*(\w+)\*\*\s*\|[^|]*\|([^|]*)\|/gm)) {
    tables.set(
      m[1]!,
      [...m[2]!.matchAll(/`(\w+)`/g)].map((c) => c[1]!),
    );
  }
  return tables;
}

describe.each(dbKinds)('schema on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await freshDb(kind);
  });
  afterAll(() => db.close());

  it('reads all 27 tables of the seed file', () => {
    expect(seedSchema().size).toBe(27);
  });

  it('has every table and every column the seed names', async () => {
    const rows = await db.query<{ table_name: string; column_name: string }>(
      `select table_name, column_name from information_schema.columns where table_schema = 'public'`,
    );
    const have = new Set(rows.map((r) => `${r.table_name}.${r.column_name}`));
    const missing = [...seedSchema()]
      .flatMap(([table, columns]) => columns.map((c) => `${table}.${c}`))
      .filter((c) => !have.has(c));
    expect(missing).toEqual([]);
  });

  it('enforces every foreign key and indexes it', async () => {
    const unindexed = await db.query<{ fk: string }>(`
      select c.conrelid::regclass::text || '.' || a.attname as fk
      from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
      where c.contype = 'f' and c.connamespace = 'public'::regnamespace
        and not exists (select 1 from pg_index i where i.indrelid = c.conrelid and i.indkey[0] = c.conkey[1])`);
    expect(unindexed).toEqual([]);
  });

  it('refuses a status outside the closed set', async () => {
    const [c] = await db.query<{ id: number }>("insert into customers (name) values ('Check Co') returning id");
    await expect(
      db.query("insert into orders (customer_id, status) values ($1, 'shipped')", [c!.id]),
    ).rejects.toMatchObject({ code: '23514' });
  });

  it('seeds the chart of accounts with types and the admin user', async () => {
    const accounts = await db.query<{ account: string; type: string }>(
      'select account, type from chart_of_accounts order by account',
    );
    expect(accounts.map((a) => `${a.account}:${a.type}`)).toEqual([
      '1000:asset',
      '1100:asset',
      '1200:asset',
      '2000:liability',
      '2100:liability',
      '3000:equity',
      '3900:equity',
      '4000:revenue',
      '4900:revenue',
      '5000:expense',
      '6000:expense',
    ]);
    expect(await db.query("select role from users where email = 'admin@erp.local'")).toEqual([{ role: 'admin' }]);
  });

  it('migrate is idempotent: a second run applies nothing and changes nothing', async () => {
    expect(await pendingMigrations(db)).toEqual([]);
    const again = await migrate(db);
    expect(again.applied).toEqual([]);
    expect(again.skipped).toEqual(await listMigrations());
    expect(await db.query('select count(*)::int as n from chart_of_accounts')).toEqual([{ n: 11 }]);
  });

  it('returns money as exact strings and dates as ISO strings', async () => {
    const [row] = await db.query<Record<string, unknown>>(
      "select 0.1::numeric(14,2) + 0.2::numeric(14,2) as m, date '2026-02-03' as d, timestamptz '2026-02-03 04:05:06.789+00' as t, count(*) as n from users",
    );
    expect(row).toEqual({ m: '0.30', d: '2026-02-03', t: '2026-02-03T04:05:06.789Z', n: 1 });
  });

  it('rolls a failed transaction back completely', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query("insert into customers (name) values ('Ghost Ltd')");
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.query("select id from customers where name = 'Ghost Ltd'")).toEqual([]);
  });
});
