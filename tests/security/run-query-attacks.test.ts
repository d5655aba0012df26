// run_query under attack, over HTTP with bearer tokens, on each database: every attack in
// ./attacks.ts is refused (FORBIDDEN or INVALID_INPUT, one line, never INTERNAL) or answered
// harmlessly, and after each one nothing was written or left behind (locks, slots, large objects,
// prepared transactions, temporary tables, session settings), the server still answers, the
// attempt is audited with its outcome, and a canary connection opened before the attacks survives.
import { Client } from '@modelcontextprotocol/client';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/db/postgres.js';
import type { Db } from '../../src/db/types.js';
import { createToken } from '../../src/domain/platform/tokens.js';
import { createUser, requireUserByEmail } from '../../src/domain/platform/users.js';
import { startHttpServer, type RunningHttpServer } from '../../src/http.js';
import { TOOLSETS } from '../../src/domain/platform/roles.js';
import { dbKinds, freshDb, type TestDb } from '../helpers/db.js';
import { withDatabase } from '../helpers/global-setup.js';
import { connect } from '../helpers/mcp.js';
import { ATTACKS, outcomeOf, sqlOf, type Attack, type AttackContext, type Outcome } from './attacks.js';

type Caller = 'analyst' | 'finance' | 'admin';

/** Built-ins granted to PUBLIC by PostgreSQL (or superuser-only) that sql/superuser.sql revokes; same signatures on 15 and 18. */
const SIGNATURES = [
  'pg_sleep(double precision)',
  'set_config(text, text, boolean)',
  'pg_advisory_lock(bigint)',
  'pg_terminate_backend(integer, bigint)',
  'lo_create(oid)',
  'query_to_xml(text, boolean, boolean, text)',
  'pg_read_file(text)',
  'current_setting(text)',
  'repeat(text, integer)',
  'ts_stat(text)',
  'pg_cancel_backend(integer)',
  'pg_try_advisory_lock(bigint)',
  'lo_from_bytea(oid, bytea)',
  'lo_import(text)',
  'pg_ls_dir(text)',
  'pg_stat_file(text)',
  'pg_switch_wal()',
  'pg_stat_reset()',
  'txid_current()',
  'pg_notify(text, text)',
  'lpad(text, integer, text)',
  'table_to_xml(regclass, boolean, boolean, text)',
];
/** Every overload of these names. */
const REVOKED = [
  'pg_sleep',
  'pg_sleep_for',
  'pg_sleep_until',
  'set_config',
  'current_setting',
  'pg_show_all_settings',
  'pg_reload_conf',
  'pg_advisory_lock',
  'pg_advisory_lock_shared',
  'pg_try_advisory_lock',
  'pg_advisory_xact_lock',
  'pg_advisory_unlock_all',
  'pg_terminate_backend',
  'pg_cancel_backend',
  'pg_rotate_logfile',
  'pg_log_backend_memory_contexts',
  'lo_create',
  'lo_creat',
  'lo_import',
  'lo_export',
  'lo_from_bytea',
  'lo_get',
  'lo_put',
  'lo_open',
  'lo_unlink',
  'loread',
  'lowrite',
  'query_to_xml',
  'query_to_xml_and_xmlschema',
  'table_to_xml',
  'schema_to_xml',
  'database_to_xml',
  'cursor_to_xml',
  'ts_stat',
  'pg_read_file',
  'pg_read_binary_file',
  'pg_ls_dir',
  'pg_stat_file',
  'pg_ls_logdir',
  'pg_ls_waldir',
  'pg_ls_tmpdir',
  'pg_current_logfile',
  'pg_relation_filepath',
  'pg_switch_wal',
  'pg_create_restore_point',
  'pg_backup_start',
  'pg_backup_stop',
  'pg_current_wal_lsn',
  'pg_create_physical_replication_slot',
  'pg_create_logical_replication_slot',
  'pg_drop_replication_slot',
  'pg_logical_slot_get_changes',
  'pg_control_system',
  'pg_stat_reset',
  'pg_stat_reset_shared',
  'txid_current',
  'pg_current_xact_id',
  'pg_notify',
  'repeat',
  'lpad',
  'rpad',
  'array_fill',
];
const SECRET_MESSAGE = 'the vault code is 7741-canary-ebb';

/** Business state: every public table but the audit log (it grows by design), tokens without their last use, sequences, objects. */
async function snapshotSql(db: Db): Promise<string> {
  const tables = await db.query<{ t: string }>(`select tablename as t from pg_tables where schemaname = 'public'
    and tablename not in ('tool_calls', 'audit_head', 'api_tokens') order by 1`);
  const hashes = tables.map(
    ({ t }) => `(select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from public.${t} x) as ${t}`,
  );
  return `select ${hashes.join(', ')},
    (select string_agg(id || ':' || token_hash || ':' || coalesce(revoked_at::text, ''), ',' order by id) from api_tokens) as tokens,
    (select string_agg(sequencename || '=' || coalesce(last_value::text, '-'), ',' order by sequencename) from pg_sequences
      where schemaname = 'public' and sequencename <> 'tool_calls_id_seq') as sequences,
    (select count(*)::int from pg_class where relnamespace in ('public'::regnamespace, 'reporting'::regnamespace, 'reporting_admin'::regnamespace)) as relations,
    (select count(*)::int from pg_proc where pronamespace in ('public'::regnamespace, 'reporting'::regnamespace)) as functions`;
}

// Scoped to this test's database: other test files run beside this one on the same cluster.
const HERE = `(select pid from pg_stat_activity where datname = current_database())`;
const LEFTOVERS = `select (select count(*)::int from pg_locks where locktype = 'advisory' and pid in ${HERE}) as advisory_locks,
  (select count(*)::int from pg_locks where not granted and pid in ${HERE}) as waiting_locks,
  (select count(*)::int from pg_replication_slots where database is null or database = current_database()) as replication_slots,
  (select count(*)::int from pg_largeobject_metadata) as large_objects,
  (select count(*)::int from pg_prepared_xacts where database = current_database()) as prepared_transactions,
  (select count(*)::int from pg_class where relpersistence = 't') as temporary_relations`;
const NOTHING_LEFT = {
  advisory_locks: 0,
  waiting_locks: 0,
  replication_slots: 0,
  large_objects: 0,
  prepared_transactions: 0,
  temporary_relations: 0,
};
const SESSION = `select current_user, current_setting('statement_timeout') as statement_timeout, current_setting('search_path') as search_path,
  current_setting('role') as role, current_setting('transaction_read_only') as read_only`;

async function httpClient(url: string, token: string): Promise<Client> {
  const client = new Client({ name: 'attacker', version: '0.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }),
  );
  return client;
}

const label = (sql: string) =>
  (sql.length > 90 ? `${sql.slice(0, 87)}...` : sql).replace(/\s+/g, ' ').replace(/[\u0000-\u001f\u200b]/g, '·');
const describeOutcome = (o: Outcome) =>
  'code' in o
    ? `refused with ${o.code}`
    : 'result' in o
      ? 'answered harmlessly'
      : 'refused or answered, never INTERNAL';

describe.each(dbKinds)('run_query attacks over HTTP on %s', (kind) => {
  let db: TestDb;
  let server: RunningHttpServer;
  let canary: Db;
  let superuser: Db; // PostgreSQL: sees every session; PGlite: the database itself
  let snapshot: string;
  let before: Record<string, unknown>;
  let session: Record<string, unknown>;
  let secrets: string[];
  const clients = {} as Record<Caller, Client>;
  const userIds = {} as Record<Caller, number>;
  const ctx: AttackContext = { kind, canaryPid: 0 };
  let attempts = 0;

  beforeAll(async () => {
    db = await freshDb(kind);
    const admin = await connect(db);
    for (const name of ['Acme Attack', 'Beta Canary', 'Gamma'])
      await admin.ok('create_customer', { name, email: `${name.split(' ')[0]!.toLowerCase()}@example.com` });
    const widget = await admin.ok<{ id: number }>('create_product', {
      sku: 'ATK-1',
      name: 'Widget',
      price: '10.00',
      cost: '4.00',
      reorder_point: 5,
    });
    const gadget = await admin.ok<{ id: number }>('create_product', {
      sku: 'ATK-2',
      name: 'Gadget',
      price: '25.00',
      cost: '9.00',
      reorder_point: 100,
    });
    await admin.ok('receive_stock', { product_id: widget.id, quantity: 20 });
    await admin.ok('receive_stock', { product_id: gadget.id, quantity: 3 });
    const [acme] = (await admin.ok<{ items: { id: number }[] }>('search_customers', { query: 'Acme' })).items;
    const order = await admin.ok<{ id: number }>('create_order', {
      customer_id: acme!.id,
      items: [{ sku: 'ATK-1', quantity: 2 }],
    });
    await admin.ok('confirm_order', { order_id: order.id });
    await admin.ok('fulfill_order', { order_id: order.id });
    const invoice = await admin.ok<{ id: number }>('create_invoice', { customer_id: acme!.id, order_ids: [order.id] });
    await admin.ok('post_invoice', { invoice_id: invoice.id });
    await admin.close();

    for (const role of ['analyst', 'finance'] as const)
      await createUser(db, { name: `Attacking ${role}`, email: `${role}@attack.test`, role });
    const tokens = {} as Record<Caller, string>;
    await db.transaction(async (tx) => {
      for (const [caller, email] of [
        ['admin', 'admin@erp.local'],
        ['analyst', 'analyst@attack.test'],
        ['finance', 'finance@attack.test'],
      ] as const) {
        const user = await requireUserByEmail(tx, email);
        userIds[caller] = user.id;
        tokens[caller] = (await createToken(tx, user.id, 'attacks')).token;
      }
      const [conversation] = await tx.query<{ id: number }>(
        'insert into conversations (user_id) values ($1) returning id',
        [userIds.finance],
      );
      await tx.query("insert into messages (conversation_id, sender, content) values ($1, 'user', $2)", [
        conversation!.id,
        SECRET_MESSAGE,
      ]);
    });
    // Functions of the owner in public: one writes, one hands out credentials with the owner's rights.
    await db.owner.exec(`create function evil_side_effect() returns int language sql volatile as 'delete from customers returning 1';
      create function owner_secrets() returns setof text language sql security definer as 'select token_hash from api_tokens';
      analyze api_tokens`); // statistics of the token hashes exist, for pg_stats to hide

    if (kind === 'postgres') {
      superuser = await openPostgres(withDatabase(process.env.DATABASE_URL!, new URL(db.url!).pathname.slice(1)), {
        max: 1,
      });
      canary = await openPostgres(db.url!, { max: 1 });
    } else {
      superuser = db;
      canary = db;
    }
    [{ pid: ctx.canaryPid }] = (await canary.query<{ pid: number }>('select pg_backend_pid() as pid')) as [
      { pid: number },
    ];
    const [paths] = await superuser.query<
      Record<string, string>
    >(`select current_setting('data_directory') as data_directory,
      current_setting('hba_file') as hba_file, current_setting('config_file') as config_file`);
    const hashes = (await db.query<{ h: string }>('select token_hash as h from api_tokens')).map((r) => r.h);
    secrets = [...hashes, ...Object.values(paths!), 'root:x:0:0', 'PATH='];
    expect(hashes.length).toBeGreaterThanOrEqual(3);

    server = await startHttpServer({ db, host: '127.0.0.1', port: 0, toolsets: [...TOOLSETS] });
    for (const caller of ['analyst', 'finance', 'admin'] as const)
      clients[caller] = await httpClient(server.url, tokens[caller]);
    snapshot = await snapshotSql(db);
    [before] = (await db.query(snapshot)) as [Record<string, unknown>];
    [session] = (await db.query(SESSION)) as [Record<string, unknown>];
  });

  afterAll(async () => {
    await Promise.all(Object.values(clients).map((c) => c.close()));
    await server?.close();
    if (kind === 'postgres') {
      await canary?.close();
      await superuser?.close();
    }
    await db?.close();
  });

  const call = async (caller: Caller, name: string, args: Record<string, unknown>) =>
    (await clients[caller].callTool({ name, arguments: args })) as CallToolResult;

  /** The refusal or answer an attack must come to, and nothing secret in it. */
  function expectOutcome(result: CallToolResult, outcome: Outcome, caller: Caller, sql: string) {
    const text = (result.content as { type: string; text?: string }[]).map((c) => c.text ?? '').join('\n');
    const error = result._meta?.['erp-mcp/error'] as { code: string; message: string } | undefined;
    expect(error?.code, `${sql}: ${text}`).not.toBe('INTERNAL');
    if ('code' in outcome) {
      expect(result.isError, `${sql} should be refused: ${text.slice(0, 300)}`).toBe(true);
      expect(error!.code, `${sql}: ${text}`).toBe(outcome.code);
      if (outcome.mentions) expect(error!.message).toContain(outcome.mentions);
      expect(text).toBe(`${error!.code}: ${error!.message}`);
      expect(text).not.toContain('\n');
      expect(text.length).toBeLessThan(1000);
    } else if ('result' in outcome) {
      expect(result.isError, `${sql} should be answered: ${text}`).toBeFalsy();
      expect(result.structuredContent).toMatchObject(outcome.result);
    } else if (result.isError) {
      expect(['FORBIDDEN', 'INVALID_INPUT']).toContain(error!.code);
      expect(text).not.toContain('\n');
    }
    const whole = JSON.stringify(result);
    // An admin may read the audit payloads (earlier attempts' SQL) and every conversation's text.
    const needles = [
      ...secrets,
      ...(caller === 'admin' ? [] : [SECRET_MESSAGE, ...(sql.includes('data_directory') ? [] : ['data_directory'])]),
    ];
    for (const needle of needles) expect(whole, `${sql} leaked ${needle}`).not.toContain(needle);
  }

  /** The audit row of the attempt (this user's latest run_query, or the one with this SQL): the outcome's status and code. */
  async function expectAudited(caller: Caller, sql: string, result: CallToolResult, latest = true) {
    const code = (result._meta?.['erp-mcp/error'] as { code: string } | undefined)?.code ?? null;
    const rows = await db.query<{ status: string; error_code: string | null; sql: string }>(
      `select status, error_code, input_json->>'sql' as sql from tool_calls where tool_name = 'run_query' and user_id = $1
       and ($2::text is null or input_json->>'sql' = $2) order by id desc limit 1`,
      [userIds[caller], latest ? null : sql],
    );
    expect(rows, `no audit row for ${sql}`).toHaveLength(1);
    // A NUL is stored escaped (jsonb cannot hold it); every other attempt is stored as sent.
    expect(rows[0]!.sql).toBe(sql.includes('\u0000') ? rows[0]!.sql : sql);
    expect(rows[0]!.sql).toContain(sql.slice(sql.indexOf('\u0000') + 1));
    expect(rows[0]!.error_code).toBe(code);
    expect(code === null ? ['ok'] : code === 'INVALID_INPUT' ? ['invalid'] : ['denied', 'error']).toContain(
      rows[0]!.status,
    );
  }

  /** Nothing written or left behind, the pool's sessions as they were, the canary alive, the server answering. */
  async function expectUnharmed(caller: Caller) {
    expect(await db.query(snapshot)).toEqual([before]);
    expect(await superuser.query(LEFTOVERS)).toEqual([NOTHING_LEFT]);
    const sessions = await Promise.all(Array.from({ length: kind === 'postgres' ? 6 : 1 }, () => db.query(SESSION)));
    for (const s of sessions) expect(s).toEqual([session]);
    expect(await canary.query('select pg_backend_pid() as pid')).toEqual([{ pid: ctx.canaryPid }]);
    if (kind === 'postgres') {
      const [idle] = await superuser.query<{ n: number }>(`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and state like 'idle in transaction%'`);
      expect(idle!.n).toBe(0);
    }
    const ordinary = await call(caller, 'search_customers', { query: 'Acme' });
    expect(ordinary.isError, JSON.stringify(ordinary.content)).toBeFalsy();
  }

  async function attack(caller: Caller, a: Attack) {
    const sql = sqlOf(a, ctx);
    attempts++;
    const result = await call(caller, 'run_query', { sql, params: a.params ?? [] });
    expectOutcome(result, outcomeOf(a, kind, caller), caller, sql);
    await expectAudited(caller, sql, result);
    await expectUnharmed(caller);
  }

  const runs: [Caller, Attack][] = [
    ...ATTACKS.filter((a) => !(kind === 'postgres' && a.slow)).map((a) => ['analyst', a] as [Caller, Attack]),
    ...(['finance', 'admin'] as const).flatMap((caller) =>
      ATTACKS.filter((a) => a.subset).map((a) => [caller, a] as [Caller, Attack]),
    ),
  ];
  for (const [caller, a] of runs) {
    const sql = sqlOf(a, { kind, canaryPid: NaN }).replace('NaN', "the canary's pid");
    it(`${caller}, ${a.class}: \`${label(sql)}\` is ${describeOutcome(outcomeOf(a, kind, caller))}; nothing changes or stays behind`, () =>
      attack(caller, a));
  }

  if (kind === 'postgres') {
    it('slow attacks run at once are each stopped at 3 s, while another user and the canary are answered at once', async () => {
      const slow = ATTACKS.filter((a) => a.slow);
      expect(slow.length).toBeGreaterThanOrEqual(8);
      const started = performance.now();
      const bombs = Promise.all(
        slow.map(async (a) => ({ a, result: await call('analyst', 'run_query', { sql: sqlOf(a, ctx) }) })),
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      const t = performance.now();
      const ordinary = await call('finance', 'search_customers', { query: 'Beta' });
      expect(ordinary.isError).toBeFalsy();
      expect(await canary.query('select 1 as one')).toEqual([{ one: 1 }]);
      expect(performance.now() - t).toBeLessThan(2500);
      attempts += slow.length;
      for (const { a, result } of await bombs) {
        expectOutcome(result, outcomeOf(a, kind, 'analyst'), 'analyst', sqlOf(a, ctx));
        await expectAudited('analyst', sqlOf(a, ctx), result, false);
      }
      expect(performance.now() - started).toBeLessThan(20_000);
      await expectUnharmed('analyst');
    });
  }

  it('every attempt is in the audit log and its hash chain verifies', async () => {
    const [row] = await db.query<{ n: number }>(
      "select count(*)::int as n from tool_calls where tool_name = 'run_query'",
    );
    expect(row!.n).toBe(attempts);
    expect(attempts).toBeGreaterThanOrEqual(ATTACKS.length + 40);
    const verified = await call('admin', 'verify_audit_log', {});
    expect(verified.structuredContent).toMatchObject({ ok: true, first_broken_id: null });
  });

  it('the reader roles cannot execute a single built-in that reaches outside the query, nor can PUBLIC', async () => {
    for (const signature of SIGNATURES) {
      const [row] = await db.query<Record<string, boolean | null>>(
        `select to_regprocedure($1) is not null as exists,
        has_function_privilege('erp_reader', $1, 'execute') as reader, has_function_privilege('erp_reader_admin', $1, 'execute') as reader_admin,
        has_function_privilege('public', $1, 'execute') as public`,
        [`pg_catalog.${signature}`],
      );
      expect(row, signature).toEqual({ exists: true, reader: false, reader_admin: false, public: false });
    }
    const present = await db.query<{ proname: string }>(
      "select distinct proname from pg_proc where pronamespace = 'pg_catalog'::regnamespace and proname = any($1) order by 1",
      [REVOKED],
    );
    expect(present.map((p) => p.proname)).toEqual([...REVOKED].sort());
    const executable = await db.query<{ fn: string }>(
      `select p.oid::regprocedure::text as fn from pg_proc p
      where p.pronamespace = 'pg_catalog'::regnamespace and p.proname = any($1)
        and (has_function_privilege('erp_reader', p.oid, 'execute') or has_function_privilege('erp_reader_admin', p.oid, 'execute')
          or has_function_privilege('public', p.oid, 'execute'))`,
      [REVOKED],
    );
    expect(executable).toEqual([]);
  });

  it('the reader roles cannot log in, are not superusers, own nothing and have no privilege on anything in schema public', async () => {
    const roles =
      await db.query(`select rolname, rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls,
      (select count(*)::int from pg_auth_members m where m.member = r.oid) as member_of from pg_roles r
      where rolname in ('erp_reader', 'erp_reader_admin') order by 1`);
    const none = {
      rolcanlogin: false,
      rolsuper: false,
      rolcreaterole: false,
      rolcreatedb: false,
      rolreplication: false,
      rolbypassrls: false,
      member_of: 0,
    };
    expect(roles).toEqual([
      { rolname: 'erp_reader', ...none },
      { rolname: 'erp_reader_admin', ...none },
    ]);
    const [owned] =
      await db.query(`with r as (select oid from pg_roles where rolname in ('erp_reader', 'erp_reader_admin'))
      select (select count(*)::int from pg_class where relowner in (select oid from r)) as relations,
             (select count(*)::int from pg_proc where proowner in (select oid from r)) as functions,
             (select count(*)::int from pg_namespace where nspowner in (select oid from r)) as schemas,
             (select count(*)::int from pg_largeobject_metadata where lomowner in (select oid from r)) as large_objects`);
    expect(owned).toEqual({ relations: 0, functions: 0, schemas: 0, large_objects: 0 });
    for (const role of ['erp_reader', 'erp_reader_admin']) {
      const [schema] = await db.query(
        `select has_schema_privilege($1, 'public', 'usage') as usage, has_schema_privilege($1, 'public', 'create') as create`,
        [role],
      );
      expect(schema, role).toEqual({ usage: false, create: false });
      const tables = await db.query<{ relname: string }>(
        `select c.relname from pg_class c where c.relnamespace = 'public'::regnamespace
        and ((c.relkind in ('r', 'v', 'm', 'p', 'f') and has_table_privilege($1, c.oid, 'select, insert, update, delete, truncate, references, trigger'))
          or (c.relkind = 'S' and has_sequence_privilege($1, c.oid, 'usage, select, update')))`,
        [role],
      );
      expect(tables, role).toEqual([]);
      const [all] = await db.query<{ n: number }>(
        `select count(*)::int as n from information_schema.tables where table_schema = 'public'`,
      );
      expect(all!.n).toBeGreaterThan(30); // the owner's view of the schema: the list above was not empty by accident
    }
    const views = await db.query<{
      v: string;
      reader: boolean;
      admin: boolean;
    }>(`select schemaname || '.' || viewname as v,
      has_table_privilege('erp_reader', (schemaname || '.' || viewname)::regclass, 'select') as reader,
      has_table_privilege('erp_reader_admin', (schemaname || '.' || viewname)::regclass, 'select') as admin
      from pg_views where schemaname in ('reporting', 'reporting_admin') order by 1`);
    expect(views.length).toBeGreaterThan(30);
    for (const v of views) expect(v, v.v).toEqual({ v: v.v, reader: v.v.startsWith('reporting.'), admin: true });
  });

  it('the README examples answer an analyst with rows', async () => {
    const examples = [
      `select c.name, sum(b.open_amount) as open from invoice_balances b join customers c on c.id = b.customer_id
 where b.open_amount > 0 group by c.name order by open desc limit 10`,
      `select date_trunc('month', issue_date)::date as month, sum(total_amount) from invoices
 where status in ('posted', 'paid') and kind = 'invoice' group by 1 order by 1`,
      'select p.sku, s.qty_on_hand - s.reserved_qty as available from stock s join products p on p.id = s.product_id where s.qty_on_hand - s.reserved_qty <= s.reorder_point',
      "select tool_name, status, count(*) from tool_calls where created_at > now() - interval '7 days' group by 1, 2",
    ];
    for (const sql of examples) {
      const result = await call('analyst', 'run_query', { sql });
      expect(result.isError, `${sql}: ${JSON.stringify(result.content)}`).toBeFalsy();
      expect((result.structuredContent as { row_count: number }).row_count, sql).toBeGreaterThan(0);
    }
    const low = (await call('analyst', 'run_query', { sql: examples[2]! })).structuredContent as {
      rows: { sku: string }[];
    };
    expect(low.rows.map((r) => r.sku)).toEqual(['ATK-2']);
  });
});
