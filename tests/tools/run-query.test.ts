// run_query answers read-only questions over the reporting views and refuses every way to write,
// lock or escape (tests/security/ holds the attack suite).
import { describe, expect, it } from 'vitest';
import { dbKinds } from '../helpers/db.js';
import { connect, useServer } from '../helpers/mcp.js';

const ATTEMPTS = [
  'delete from customers',
  "update customers set name = 'pwned'",
  "insert into customers (name) values ('pwned')",
  'select 1; delete from customers',
  'select 1;\n-- harmless\ndelete from customers',
  'select/**/1;/**/delete from customers',
  'table customers; delete from customers',
  'values (1); delete from customers',
  'with d as (delete from customers returning *) select * from d',
  'with u as (update products set price = 0 returning id) select count(*) from u',
  'with i as (insert into customers (name) values ($1) returning id) select * from i',
  'select * from customers for update',
  'select * from customers for share',
  'select * from customers for no key update',
  'select * from customers FOR /* sneaky */ UPDATE',
  "select set_config('statement_timeout', '0', false)",
  'select pg_sleep(10)',
  'select pg_advisory_lock(42)',
  'select 1 from customers, lateral (select pg_advisory_xact_lock(1)) x',
  "select nextval('customers_id_seq')",
  'select * into stolen from customers',
  'copy customers to stdout',
  "copy (select 1) to '/tmp/erp-escape'",
  'do $$ begin delete from customers; end $$',
  'create table stolen (a int)',
  'drop table customers',
  'truncate customers',
  'alter table customers add column pwned int',
  "select query_to_xml('delete from customers', true, true, '')",
  "select lo_import('/etc/passwd')",
  "select pg_read_file('/etc/passwd')",
  'select pg_terminate_backend(pg_backend_pid())',
  'set statement_timeout = 0',
  'reset all',
  'vacuum customers',
  'grant all on customers to public',
  'prepare p as delete from customers',
  'lock table customers',
  'begin',
  'commit',
  "notify erp, 'x'",
  'explain analyze delete from customers',
  '/* select */ delete from customers',
  '-- select\ndelete from customers',
  'select * from customers /* unterminated',
  'select evil_side_effect()',
  "select * from customers where name = 'x' union all select 1, 'a', null, null, now(), now() from (delete from customers returning 1) d",
];

describe.each(dbKinds)('run_query on %s', (kind) => {
  const s = useServer(kind, async ({ db, mcp }) => {
    for (const name of ['Alpha', 'Beta', 'Gamma']) await mcp.ok('create_customer', { name });
    await mcp.ok('create_product', { sku: 'RQ-1', name: 'Widget', price: '9.99' });
    await db.owner.exec(
      `create function evil_side_effect() returns int language sql volatile as 'delete from customers returning 1'`,
    );
  });
  const snapshot = async () =>
    s.db.query(`select (select count(*)::int from customers) as customers, (select string_agg(name, ',' order by id) from customers) as names,
    (select sum(price)::text from products) as prices, (select count(*)::int from pg_tables where schemaname = 'public') as tables`);

  it('answers a read-only question with parameters', async () => {
    const r = await s.mcp.ok<{ columns: string[]; rows: { name: string }[]; truncated: boolean }>('run_query', {
      sql: 'select name from customers where name like $1 order by name',
      params: ['%a%'],
    });
    expect(r.rows.map((x) => x.name)).toEqual(['Alpha', 'Beta', 'Gamma']);
    expect(r.columns).toEqual(['name']);
    expect(r.truncated).toBe(false);
  });

  it('caps rows and says so', async () => {
    const r = await s.mcp.ok<{ row_count: number; truncated: boolean }>('run_query', {
      sql: 'select g from generate_series(1, 2000) g',
    });
    expect(r).toMatchObject({ row_count: 500, truncated: true, truncated_reason: 'rows' });
  });

  it('caps bytes while reading and nulls a row too large to return', async () => {
    const wide = await s.mcp.ok('run_query', {
      sql: 'select g, md5(g::text) || md5((g + 1)::text) || md5((g + 2)::text) as h from generate_series(1, 450) g',
    });
    expect(wide).toMatchObject({ row_count: 450, truncated: false, truncated_reason: null });
    const many = await s.mcp.ok<{ row_count: number }>('run_query', {
      sql: "select string_agg(md5(g::text), '') as block from generate_series(1, 1500) g, generate_series(1, 40) k group by k",
    });
    expect(many).toMatchObject({ truncated: true, truncated_reason: 'bytes' });
    expect(many.row_count).toBeLessThan(40);
    const huge = await s.mcp.ok<{ rows: { block: string | null }[] }>('run_query', {
      sql: "select 1 as n, string_agg(md5(g::text), '') as block from generate_series(1, 3000) g",
    });
    expect(huge).toMatchObject({
      truncated: true,
      truncated_reason: 'row_too_large',
      rows: [{ n: null, block: null }],
    });
  });

  it('names the columns of an empty result and keeps repeated names apart', async () => {
    const r = await s.mcp.ok('run_query', {
      sql: 'select c.id, o.id, c.name from customers c join orders o on o.customer_id = c.id',
    });
    expect(r).toMatchObject({ columns: ['id', 'id_2', 'name'], rows: [], row_count: 0 });
  });

  it('runs as a reader role that sees reporting views, not the tables behind them', async () => {
    const who = await s.mcp.ok<{ rows: { current_user: string }[] }>('run_query', { sql: 'select current_user' });
    expect(who.rows).toEqual([{ current_user: 'erp_reader_admin' }]);
    const analyst = await connect(s.db, { role: 'analyst' });
    expect((await analyst.ok<{ rows: unknown[] }>('run_query', { sql: 'select current_user' })).rows).toEqual([
      { current_user: 'erp_reader' },
    ]);
    expect((await analyst.fail('run_query', { sql: 'select input_json from tool_calls' })).message).toContain(
      'input_json',
    );
    expect((await analyst.fail('run_query', { sql: 'select token_hash from public.api_tokens' })).code).toBe(
      'FORBIDDEN',
    );
    expect(
      (await s.mcp.ok<{ row_count: number }>('run_query', { sql: 'select input_json from tool_calls limit 1' }))
        .row_count,
    ).toBe(1);
    await analyst.close();
  });

  it(`refuses all ${ATTEMPTS.length} attempts to write, lock or escape, and nothing changes`, async () => {
    const before = await snapshot();
    for (const sql of ATTEMPTS) {
      const result = await s.mcp.call('run_query', { sql, params: sql.includes('$1') ? ['x'] : [] });
      expect(result.isError, sql).toBe(true);
      const code = (result._meta!['erp-mcp/error'] as { code: string }).code;
      expect(['FORBIDDEN', 'INVALID_INPUT'], `${sql}: ${code}`).toContain(code);
    }
    expect(await snapshot()).toEqual(before);
    if (kind === 'postgres') {
      expect(await s.db.query("select count(*)::int as n from pg_locks where locktype = 'advisory'")).toEqual([
        { n: 0 },
      ]);
    }
    expect((await s.mcp.ok<{ ok: boolean }>('verify_audit_log')).ok).toBe(true);
  });

  it('leaves session settings untouched even when a query changes them in a subquery', async () => {
    await s.mcp.call('run_query', { sql: "select (select current_setting('search_path')) as p" });
    const [row] = await s.db.query<{ s: string }>("select current_setting('statement_timeout') as s");
    expect(row!.s).toBe('0');
  });

  if (kind === 'pglite') {
    it('refuses before running what the embedded database could not interrupt', async () => {
      const refused: [string, string][] = [
        ['select count(*) from generate_series(1, 100000000)', 'too expensive'],
        ['select count(*) from generate_series(1, (select 100000000))', 'constant arguments'],
        ['select count(*) from customers c, generate_series(1, c.id * 100000000)', 'constant arguments'],
        ['with recursive t(n) as (select 1 union all select n + 1 from t) select count(*) from t', 'LIMIT 500'],
        [
          'with recursive t(n) as (select 1 union all select n + 1 from t) select n from t order by n desc limit 10',
          'LIMIT 500',
        ],
        [
          "with recursive t(n, s) as (select 1, 'x'::text union all select n + 1, s || s from t) select n, length(s) from t limit 40",
          'exponentially',
        ],
      ];
      for (const [sql, says] of refused) {
        const e = await s.mcp.fail('run_query', { sql });
        expect(e.code, sql).toBe('INVALID_INPUT');
        expect(e.message, sql).toContain(says);
      }
      expect(
        (
          await s.mcp.ok('run_query', {
            sql: 'with recursive t(n) as (select 1 union all select n + 1 from t) select n from t limit 20',
          })
        ).row_count,
      ).toBe(20);
    });
  }

  if (kind === 'postgres') {
    it('cancels a query that runs past the statement timeout', async () => {
      const e = await s.mcp.fail('run_query', { sql: 'select count(*) from generate_series(1, 2000000000)' });
      expect(e.code).toBe('INVALID_INPUT');
      expect(e.message).toContain('longer than 3 s');
    });
  }
});
