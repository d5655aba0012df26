// Attacks on run_query, by class, with what each must come to. Run by
// tests/security/run-query-attacks.test.ts over HTTP on both databases. An attack either is
// refused (FORBIDDEN or INVALID_INPUT, never INTERNAL) or is a harmless query that succeeds
// without reaching anything the reader roles may not see.
import type { DbKind } from '../helpers/db.js';

export type AttackClass =
  | 'lexical'
  | 'unicode-dollar'
  | 'file-os'
  | 'settings'
  | 'locks'
  | 'signals'
  | 'wal-replication'
  | 'large-objects'
  | 'dumps'
  | 'secrets'
  | 'writes'
  | 'cpu'
  | 'memory'
  | 'wide-row'
  | 'breakout';

export type Refused = { code: 'FORBIDDEN' | 'INVALID_INPUT'; mentions?: string };
/** Succeeds; `result` is matched against the structured result (toMatchObject). */
export type Harmless = { result: Record<string, unknown> };
/** Refused or answered, depending on resources; either way never INTERNAL and nothing leaks. */
export type Survived = { survives: true };
export type Outcome = Refused | Harmless | Survived;

export interface AttackContext {
  kind: DbKind;
  /** The canary connection's backend pid (PostgreSQL), for attempts to signal it. */
  canaryPid: number;
}

export interface Attack {
  class: AttackClass;
  sql: string | ((ctx: AttackContext) => string);
  params?: (string | number | null)[];
  /** The outcome for analyst and finance, on both databases unless split by kind. */
  expect: Outcome | Record<DbKind, Outcome>;
  /** The outcome for admin when it differs (admins also read reporting_admin). */
  admin?: Outcome | Record<DbKind, Outcome>;
  /** Also run as finance and admin (the representative subset). */
  subset?: boolean;
  /** On PostgreSQL it runs until the 3 s statement timeout: run once, alongside the other slow ones. */
  slow?: boolean;
}

const forbidden = (mentions?: string): Refused => ({ code: 'FORBIDDEN', mentions });
const invalid = (mentions?: string): Refused => ({ code: 'INVALID_INPUT', mentions });
const denied = (fn: string) => forbidden(`permission denied for function ${fn}`);
const publicSchema = forbidden('permission denied for schema public');
const timeout = invalid('longer than 3 s');
const tooExpensive = invalid('too expensive for the embedded database');
const rows = (r: Record<string, unknown>): Harmless => ({ result: r });
const bounded = (reason: 'rows' | 'bytes' | 'row_too_large'): Harmless => ({
  result: { truncated: true, truncated_reason: reason },
});

/** One value of about 60 KB (1875 md5 strings) per row, so 17 rows pass the 1 MB budget. */
const sixtyKb = "(select string_agg(md5((g * 7919 + k)::text), '') from generate_series(1, 1875) k)";

export const ATTACKS: Attack[] = [
  // ── lexical tricks: comments, casing, quoted identifiers, escapes ─────────────────────────────
  { class: 'lexical', sql: "select '--', pg_ls_dir('/')", expect: denied('pg_ls_dir'), subset: true },
  { class: 'lexical', sql: "select '/*', pg_read_file('/etc/passwd'), '*/'", expect: denied('pg_read_file') },
  {
    class: 'lexical',
    sql: "select /* outer /* nested */ still a comment */ pg_ls_dir('.')",
    expect: denied('pg_ls_dir'),
  },
  { class: 'lexical', sql: "select/**/pg_read_file/**/('/etc/passwd')", expect: denied('pg_read_file') },
  { class: 'lexical', sql: 'select "PG_SLEEP"(5)', expect: invalid('does not exist') },
  { class: 'lexical', sql: 'select "pg_sleep"(5)', expect: denied('pg_sleep') },
  { class: 'lexical', sql: 'SeLeCt Pg_SlEeP(5)', expect: denied('pg_sleep') },
  { class: 'lexical', sql: "select pg_catalog . pg_read_file ( '/etc/passwd' )", expect: denied('pg_read_file') },
  { class: 'lexical', sql: "select pg_read_file(E'\\x2fetc\\x2fpasswd')", expect: denied('pg_read_file') },
  {
    class: 'lexical',
    sql: "select pg_read_file(chr(47) || 'etc' || chr(47) || 'passwd')",
    expect: denied('pg_read_file'),
  },
  { class: 'lexical', sql: 'select pg_read_file($1)', params: ['/etc/passwd'], expect: denied('pg_read_file') },
  { class: 'lexical', sql: "select 1 as one -- ) as q; select pg_ls_dir('.')", expect: rows({ rows: [{ one: 1 }] }) },
  { class: 'lexical', sql: "select * from pg_catalog.pg_ls_dir('.') as f", expect: denied('pg_ls_dir') },
  {
    class: 'lexical',
    sql: "select 1 where exists (select pg_read_file('/etc/passwd') offset 0)",
    expect: denied('pg_read_file'),
  },
  { class: 'lexical', sql: "select pg_read_file('/etc/passwd') \\g", expect: invalid() },
  { class: 'lexical', sql: 'select $1::text as v', expect: invalid('bind message supplies 0 parameters') },

  // ── Unicode escapes, dollar quoting, odd characters ───────────────────────────────────────────
  {
    class: 'unicode-dollar',
    sql: 'select U&"pg\\005fread\\005ffile"(\'/etc/passwd\')',
    expect: denied('pg_read_file'),
    subset: true,
  },
  { class: 'unicode-dollar', sql: "select U&\"pg!005fls!005fdir\" UESCAPE '!' ('.')", expect: denied('pg_ls_dir') },
  { class: 'unicode-dollar', sql: "select pg_read_file(U&'\\002fetc\\002fpasswd')", expect: denied('pg_read_file') },
  { class: 'unicode-dollar', sql: 'select token_hash from U&"public".U&"api\\005ftokens"', expect: publicSchema },
  {
    class: 'unicode-dollar',
    sql: "select $$'); select pg_read_file('/etc/passwd'); --$$ as s",
    expect: rows({ row_count: 1 }),
  },
  {
    class: 'unicode-dollar',
    sql: 'select $a$ ) as q; delete from customers; -- $a$ as s',
    expect: rows({ row_count: 1 }),
  },
  { class: 'unicode-dollar', sql: 'select pg_read_file($x$/etc/passwd$x$)', expect: denied('pg_read_file') },
  { class: 'unicode-dollar', sql: 'select $$ unterminated', expect: invalid() },
  { class: 'unicode-dollar', sql: 'select ｐｇ_sleep(5)', expect: invalid() },
  { class: 'unicode-dollar', sql: 'select\u200bpg_sleep(5)', expect: invalid() },
  { class: 'unicode-dollar', sql: 'select 1\u0000; delete from customers', expect: invalid('NUL') },
  { class: 'unicode-dollar', sql: "select E'\\u0000'", expect: invalid() },
  {
    class: 'unicode-dollar',
    sql: "select convert_from('\\xc0af2f6574632f706173737764'::bytea, 'UTF8')",
    expect: invalid(),
  },

  // ── files and the operating system ────────────────────────────────────────────────────────────
  { class: 'file-os', sql: "select pg_read_file('/etc/passwd')", expect: denied('pg_read_file'), subset: true },
  { class: 'file-os', sql: "select pg_read_binary_file('/etc/passwd')", expect: denied('pg_read_binary_file') },
  { class: 'file-os', sql: "select pg_read_file('postgresql.conf')", expect: denied('pg_read_file') },
  { class: 'file-os', sql: "select pg_read_file('pg_hba.conf', 0, 200)", expect: denied('pg_read_file') },
  { class: 'file-os', sql: "select pg_stat_file('/proc/self/environ')", expect: denied('pg_stat_file') },
  { class: 'file-os', sql: "select pg_read_binary_file('/proc/self/environ')", expect: denied('pg_read_binary_file') },
  { class: 'file-os', sql: "select pg_ls_dir('/')", expect: denied('pg_ls_dir') },
  { class: 'file-os', sql: 'select * from pg_ls_logdir()', expect: denied('pg_ls_logdir') },
  { class: 'file-os', sql: 'select * from pg_ls_waldir()', expect: denied('pg_ls_waldir') },
  { class: 'file-os', sql: 'select * from pg_ls_tmpdir()', expect: denied('pg_ls_tmpdir') },
  { class: 'file-os', sql: 'select * from pg_hba_file_rules', expect: forbidden('pg_hba_file_rules') },
  { class: 'file-os', sql: 'select pg_current_logfile()', expect: denied('pg_current_logfile') },
  {
    class: 'file-os',
    sql: "select pg_relation_filepath('reporting.customers')",
    expect: denied('pg_relation_filepath'),
  },
  { class: 'file-os', sql: "copy (select 1) to program 'id'", expect: invalid() },
  { class: 'file-os', sql: "select pg_file_write('/tmp/erp-escape', 'x', false)", expect: invalid('does not exist') },
  {
    class: 'file-os',
    sql: 'select xmlparse(document \'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>\')::text as x',
    expect: rows({ row_count: 1 }),
  },
  {
    class: 'file-os',
    sql: "select xpath('/x/text()', xmlparse(document '<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>'))::text as x",
    expect: rows({ rows: [{ x: '{}' }] }),
  },
  { class: 'file-os', sql: 'select * from pg_hba_file_rules()', expect: denied('pg_hba_file_rules') },
  { class: 'file-os', sql: 'select * from pg_ident_file_mappings', expect: forbidden('pg_ident_file_mappings') },

  // ── server settings ───────────────────────────────────────────────────────────────────────────
  {
    class: 'settings',
    sql: "select current_setting('data_directory')",
    expect: denied('current_setting'),
    subset: true,
  },
  { class: 'settings', sql: "select current_setting('config_file', true)", expect: denied('current_setting') },
  {
    class: 'settings',
    sql: "select setting from pg_settings where name = 'data_directory'",
    expect: forbidden('pg_settings'),
  },
  { class: 'settings', sql: 'select * from pg_catalog.pg_show_all_settings()', expect: denied('pg_show_all_settings') },
  { class: 'settings', sql: 'select * from pg_file_settings', expect: forbidden('pg_file_settings') },
  { class: 'settings', sql: 'select * from pg_config', expect: forbidden('pg_config') },
  { class: 'settings', sql: 'select * from (show data_directory) as s', expect: invalid() },
  { class: 'settings', sql: "select set_config('role', 'erp_app', true)", expect: denied('set_config'), subset: true },
  {
    class: 'settings',
    sql: "select set_config('statement_timeout', '0', false), pg_sleep(10)",
    expect: denied('set_config'),
  },
  {
    class: 'settings',
    sql: "select set_config('statement_timeout', '0', true), count(*) from generate_series(1, 2000000000)",
    expect: denied('set_config'),
  },
  {
    class: 'settings',
    sql: "select set_config('search_path', 'public', false) union all select token_hash from api_tokens",
    expect: { pglite: invalid('api_tokens'), postgres: invalid('api_tokens') },
  },
  {
    class: 'settings',
    sql: "select set_config('session_authorization', 'postgres', false)",
    expect: denied('set_config'),
  },
  { class: 'settings', sql: 'select pg_reload_conf()', expect: denied('pg_reload_conf') },
  { class: 'settings', sql: "select pg_settings_get_flags('data_directory') as flags", expect: rows({ row_count: 1 }) },
  {
    class: 'settings',
    sql: 'select setdatabase, setrole, setconfig from pg_db_role_setting',
    expect: rows({ row_count: 0 }),
  },
  { class: 'settings', sql: 'select * from pg_config()', expect: denied('pg_config') },
  { class: 'settings', sql: 'select * from pg_show_all_file_settings()', expect: denied('pg_show_all_file_settings') },
  {
    class: 'settings',
    sql: "with x as (update pg_settings set setting = '0' where name = 'statement_timeout' returning 1) select * from x",
    expect: invalid('top level'),
  },
  {
    class: 'settings',
    sql: 'select * from pg_backend_memory_contexts',
    expect: forbidden('pg_backend_memory_contexts'),
  },
  { class: 'settings', sql: 'select * from pg_shmem_allocations', expect: forbidden('pg_shmem_allocations') },

  // ── locks that could outlive the rolled-back query ────────────────────────────────────────────
  { class: 'locks', sql: 'select pg_advisory_lock(42)', expect: denied('pg_advisory_lock'), subset: true },
  { class: 'locks', sql: 'select pg_try_advisory_lock(42)', expect: denied('pg_try_advisory_lock') },
  { class: 'locks', sql: 'select pg_advisory_lock_shared(1, 2)', expect: denied('pg_advisory_lock_shared') },
  {
    class: 'locks',
    sql: "select pg_catalog.pg_try_advisory_lock(hashtext('audit'))",
    expect: denied('pg_try_advisory_lock'),
  },
  { class: 'locks', sql: 'select pg_advisory_xact_lock(7)', expect: denied('pg_advisory_xact_lock') },
  { class: 'locks', sql: 'select pg_advisory_unlock_all()', expect: denied('pg_advisory_unlock_all') },
  { class: 'locks', sql: 'select * from customers for update', expect: forbidden() },
  { class: 'locks', sql: 'select * from customers for share nowait', expect: forbidden() },
  { class: 'locks', sql: 'select * from orders for key share skip locked', expect: forbidden() },
  { class: 'locks', sql: 'lock table customers in access exclusive mode', expect: invalid() },

  // ── signals to other backends ─────────────────────────────────────────────────────────────────
  {
    class: 'signals',
    sql: (c) => `select pg_terminate_backend(${c.canaryPid})`,
    expect: denied('pg_terminate_backend'),
    subset: true,
  },
  { class: 'signals', sql: (c) => `select pg_cancel_backend(${c.canaryPid})`, expect: denied('pg_cancel_backend') },
  {
    class: 'signals',
    sql: (c) => `select pg_terminate_backend(${c.canaryPid}, 1000)`,
    expect: denied('pg_terminate_backend'),
  },
  {
    class: 'signals',
    sql: 'select pg_terminate_backend(pid) from pg_stat_activity',
    expect: denied('pg_terminate_backend'),
  },
  {
    class: 'signals',
    sql: 'select pg_cancel_backend(pid) from pg_stat_activity where pid <> pg_backend_pid()',
    expect: denied('pg_cancel_backend'),
  },
  { class: 'signals', sql: 'select pg_terminate_backend(pg_backend_pid())', expect: denied('pg_terminate_backend') },
  {
    class: 'signals',
    sql: 'select pg_log_backend_memory_contexts(pg_backend_pid())',
    expect: denied('pg_log_backend_memory_contexts'),
  },
  { class: 'signals', sql: 'select pg_rotate_logfile()', expect: denied('pg_rotate_logfile') },

  // ── WAL, backups, replication, statistics ─────────────────────────────────────────────────────
  { class: 'wal-replication', sql: 'select pg_switch_wal()', expect: denied('pg_switch_wal'), subset: true },
  { class: 'wal-replication', sql: "select pg_create_restore_point('erp')", expect: denied('pg_create_restore_point') },
  { class: 'wal-replication', sql: "select pg_backup_start('erp')", expect: denied('pg_backup_start') },
  {
    class: 'wal-replication',
    sql: "select pg_create_physical_replication_slot('erp_evil')",
    expect: denied('pg_create_physical_replication_slot'),
    subset: true,
  },
  {
    class: 'wal-replication',
    sql: "select pg_create_logical_replication_slot('erp_evil', 'pgoutput')",
    expect: denied('pg_create_logical_replication_slot'),
  },
  {
    class: 'wal-replication',
    sql: "select * from pg_logical_slot_get_changes('erp_evil', null, null)",
    expect: denied('pg_logical_slot_get_changes'),
  },
  {
    class: 'wal-replication',
    sql: "select pg_drop_replication_slot('erp_evil')",
    expect: denied('pg_drop_replication_slot'),
  },
  { class: 'wal-replication', sql: 'select pg_current_wal_lsn()', expect: denied('pg_current_wal_lsn') },
  { class: 'wal-replication', sql: 'select pg_stat_reset()', expect: denied('pg_stat_reset') },
  { class: 'wal-replication', sql: "select pg_stat_reset_shared('bgwriter')", expect: denied('pg_stat_reset_shared') },
  { class: 'wal-replication', sql: 'select * from pg_control_system()', expect: denied('pg_control_system') },

  // ── large objects ─────────────────────────────────────────────────────────────────────────────
  { class: 'large-objects', sql: 'select lo_create(0)', expect: denied('lo_create'), subset: true },
  { class: 'large-objects', sql: "select lo_from_bytea(0, 'secret')", expect: denied('lo_from_bytea') },
  { class: 'large-objects', sql: "select lo_import('/etc/passwd')", expect: denied('lo_import') },
  { class: 'large-objects', sql: "select lo_export(1, '/tmp/erp-escape')", expect: denied('lo_export') },
  { class: 'large-objects', sql: 'select lo_get(1)', expect: denied('lo_get') },
  {
    class: 'large-objects',
    sql: 'select loread(lo_open(1, 262144), 100)',
    expect: forbidden('permission denied for function lo'),
  },
  { class: 'large-objects', sql: 'select * from pg_largeobject', expect: forbidden('pg_largeobject') },

  // ── XML and JSON dumps of secret tables ───────────────────────────────────────────────────────
  { class: 'dumps', sql: "select database_to_xml(true, true, '')", expect: denied('database_to_xml') },
  { class: 'dumps', sql: "select table_to_xml('public.api_tokens', true, true, '')", expect: publicSchema },
  { class: 'dumps', sql: "select table_to_xml('reporting.customers', true, true, '')", expect: denied('table_to_xml') },
  {
    class: 'dumps',
    sql: "select query_to_xml('select token_hash from public.api_tokens', true, true, '')",
    expect: denied('query_to_xml'),
    subset: true,
  },
  {
    class: 'dumps',
    sql: "select * from ts_stat('select to_tsvector(token_hash) from public.api_tokens')",
    expect: denied('ts_stat'),
    subset: true,
  },
  { class: 'dumps', sql: "select schema_to_xml('public', true, true, '')", expect: denied('schema_to_xml') },
  {
    class: 'dumps',
    sql: "select query_to_xml_and_xmlschema('select content from public.messages', true, true, '')",
    expect: denied('query_to_xml_and_xmlschema'),
  },
  {
    class: 'dumps',
    sql: "select table_to_xmlschema('reporting.users', true, true, '')",
    expect: denied('table_to_xmlschema'),
  },
  {
    class: 'dumps',
    sql: "select cursor_to_xml('run_query_rows', 10, true, true, '')",
    expect: denied('cursor_to_xml'),
  },
  { class: 'dumps', sql: 'select row_to_json(t) from public.api_tokens t', expect: publicSchema },
  { class: 'dumps', sql: 'select json_agg(u) from public.users u', expect: publicSchema },
  { class: 'dumps', sql: 'select xmlagg(xmlelement(name t, token_hash)) from public.api_tokens', expect: publicSchema },
  {
    class: 'dumps',
    sql: 'select jsonb_agg(m) from reporting_admin.messages m',
    expect: forbidden('reporting_admin'),
    admin: rows({ row_count: 1 }),
    subset: true,
  },

  // ── credentials and private tables read directly ──────────────────────────────────────────────
  { class: 'secrets', sql: 'select token_hash from public.api_tokens', expect: publicSchema, subset: true },
  { class: 'secrets', sql: 'select * from api_tokens', expect: invalid('api_tokens') },
  { class: 'secrets', sql: 'select * from public.users', expect: publicSchema },
  { class: 'secrets', sql: 'select * from public.schema_migrations', expect: publicSchema },
  { class: 'secrets', sql: 'select content from public.messages', expect: publicSchema },
  { class: 'secrets', sql: 'select * from public.audit_head', expect: publicSchema },
  { class: 'secrets', sql: 'select * from public.model_registry', expect: publicSchema },
  {
    class: 'secrets',
    sql: 'select content from messages',
    expect: invalid('content'),
    admin: rows({ columns: ['content'] }),
    subset: true,
  },
  {
    class: 'secrets',
    sql: 'select input_json, output_json from reporting_admin.tool_calls',
    expect: forbidden('reporting_admin'),
    admin: rows({ columns: ['input_json', 'output_json'] }),
    subset: true,
  },
  {
    class: 'secrets',
    sql: 'select input_json from tool_calls',
    expect: invalid('input_json'),
    admin: rows({ columns: ['input_json'] }),
  },
  { class: 'secrets', sql: 'select rolname, rolpassword from pg_authid', expect: forbidden('pg_authid'), subset: true },
  { class: 'secrets', sql: 'select usename, passwd from pg_shadow', expect: forbidden('pg_shadow') },
  {
    class: 'secrets',
    sql: "select attname, most_common_vals::text from pg_stats where tablename = 'api_tokens'",
    expect: rows({ row_count: 0 }),
  },
  { class: 'secrets', sql: 'select starelid, stavalues1::text from pg_statistic', expect: forbidden('pg_statistic') },
  { class: 'secrets', sql: 'select name, statement from pg_prepared_statements', expect: rows({}) },
  { class: 'secrets', sql: 'select query from pg_stat_activity where pid <> pg_backend_pid()', expect: rows({}) },
  { class: 'secrets', sql: "select pg_get_functiondef('public.owner_secrets'::regproc)", expect: publicSchema },
  {
    class: 'secrets',
    sql: 'select current_user',
    expect: rows({ rows: [{ current_user: 'erp_reader' }] }),
    admin: rows({ rows: [{ current_user: 'erp_reader_admin' }] }),
    subset: true,
  },

  // ── writes and state that outlives the call ───────────────────────────────────────────────────
  {
    class: 'writes',
    sql: 'with d as (delete from customers returning *) select * from d',
    expect: invalid('top level'),
    subset: true,
  },
  {
    class: 'writes',
    sql: 'with u as (update products set price = 0 returning 1) select count(*) from u',
    expect: invalid('top level'),
  },
  {
    class: 'writes',
    sql: "with i as (insert into reporting.customers (name) values ('pwned') returning id) select * from i",
    expect: invalid('top level'),
  },
  { class: 'writes', sql: 'select * into stolen from customers', expect: invalid() },
  { class: 'writes', sql: "select nextval('public.customers_id_seq')", expect: publicSchema },
  { class: 'writes', sql: "select setval('public.customers_id_seq', 1)", expect: publicSchema },
  { class: 'writes', sql: 'select txid_current()', expect: denied('txid_current') },
  { class: 'writes', sql: 'select pg_current_xact_id()', expect: denied('pg_current_xact_id') },
  { class: 'writes', sql: 'select public.evil_side_effect()', expect: publicSchema, subset: true },
  { class: 'writes', sql: 'select evil_side_effect()', expect: invalid('does not exist') },
  { class: 'writes', sql: 'select public.owner_secrets()', expect: publicSchema },
  { class: 'writes', sql: "select pg_notify('erp', 'x')", expect: denied('pg_notify') },
  { class: 'writes', sql: "notify erp, 'x'", expect: invalid() },
  { class: 'writes', sql: "prepare transaction 'erp_evil'", expect: invalid() },
  { class: 'writes', sql: 'explain analyze delete from customers', expect: invalid() },

  // ── CPU bombs ─────────────────────────────────────────────────────────────────────────────────
  {
    class: 'cpu',
    sql: 'select count(*) from generate_series(1, 2000000000)',
    expect: { pglite: tooExpensive, postgres: timeout },
    slow: true,
  },
  {
    class: 'cpu',
    sql: 'select count(*) from generate_series(1, 3000) a, generate_series(1, 3000) b, generate_series(1, 3000) c',
    expect: { pglite: tooExpensive, postgres: timeout },
    slow: true,
  },
  {
    class: 'cpu',
    sql: 'select count(*) from pg_class a, pg_class b, pg_class c',
    expect: { pglite: tooExpensive, postgres: timeout },
    slow: true,
  },
  {
    class: 'cpu',
    sql: 'with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r',
    expect: { pglite: invalid('LIMIT'), postgres: timeout },
    slow: true,
  },
  {
    class: 'cpu',
    sql: 'with recursive r(n) as (select 1 union all select n + 1 from r) select n from r',
    expect: { pglite: invalid('LIMIT'), postgres: bounded('rows') },
    subset: true,
  },
  {
    class: 'cpu',
    sql: 'select sum(g) from generate_series(1, (select 2000000000)) g',
    expect: { pglite: invalid('generate_series'), postgres: timeout },
    slow: true,
  },
  {
    class: 'cpu',
    sql: 'select generate_series(1, $1::int) as g',
    params: [2000000000],
    expect: { pglite: tooExpensive, postgres: bounded('rows') },
  },
  { class: 'cpu', sql: "select pg_sleep_for('10 seconds')", expect: denied('pg_sleep_for') },
  {
    class: 'cpu',
    sql: "select count(*) from generate_series(1, 20000) g where md5(g::text) ~ '^(a|aa|aaa)*(b|bb)*$'",
    expect: rows({ row_count: 1 }),
  },
  {
    class: 'cpu',
    sql: "select 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab' ~ '(((a{1,100}){1,100}){1,100}){1,100}c'",
    expect: invalid('too complex'),
  },

  // ── memory bombs ──────────────────────────────────────────────────────────────────────────────
  { class: 'memory', sql: "select repeat('x', 1000000000)", expect: denied('repeat'), subset: true },
  { class: 'memory', sql: "select lpad('', 500000000, 'x')", expect: denied('lpad') },
  { class: 'memory', sql: "select rpad('x', 500000000)", expect: denied('rpad') },
  { class: 'memory', sql: 'select array_fill(1, array[100000000])', expect: denied('array_fill') },
  {
    class: 'memory',
    sql: "select length(string_agg(md5(g::text), '')) from generate_series(1, 50000000) g",
    expect: { pglite: tooExpensive, postgres: timeout },
    slow: true,
  },
  {
    class: 'memory',
    sql: 'select cardinality(array_agg(g)) from generate_series(1, 200000000) g',
    expect: { pglite: tooExpensive, postgres: timeout },
    slow: true,
  },
  {
    class: 'memory',
    sql: "with recursive r(s) as (select 'x'::text union all select s || s from r) select length(s) from r limit 31",
    expect: { pglite: invalid('exponentially'), postgres: timeout },
    slow: true,
  },
  { class: 'memory', sql: "select length(format('%100000000s', 'x')) as n", expect: denied('format') },
  { class: 'memory', sql: "select replace(format('%1000000s', 'x'), ' ', 'y')::int", expect: denied('format') },

  // ── wide rows ─────────────────────────────────────────────────────────────────────────────────
  {
    class: 'wide-row',
    sql: `select g, ${sixtyKb} as w from generate_series(1, 100) g`,
    expect: bounded('bytes'),
    subset: true,
  },
  {
    class: 'wide-row',
    sql: "select 1 as n, string_agg(md5(g::text), '') as block from generate_series(1, 320000) g",
    expect: bounded('row_too_large'),
  },
  { class: 'wide-row', sql: 'select md5(g::text) from generate_series(1, 100000) g', expect: bounded('rows') },
  {
    class: 'wide-row',
    sql: `select ${Array.from({ length: 1600 }, (_, i) => i).join(', ')}`,
    expect: rows({ row_count: 1 }),
  },
  { class: 'wide-row', sql: `select '${'['.repeat(5000)}${']'.repeat(5000)}'::jsonb as deep`, expect: invalid('nest') },
  {
    class: 'wide-row',
    sql: `select '${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}'::json as deep`,
    expect: invalid('nest'),
  },

  // ── breaking out of the wrapper's parentheses or LIMIT ────────────────────────────────────────
  { class: 'breakout', sql: 'select 1) as u offset 0) as q(c1) --', expect: invalid(), subset: true },
  { class: 'breakout', sql: 'select 1) as q; delete from customers; --', expect: invalid() },
  { class: 'breakout', sql: "select 1) as q limit 0; select pg_read_file('/etc/passwd') --", expect: invalid() },
  { class: 'breakout', sql: 'select 1 as a) as x, (select token_hash from public.api_tokens', expect: publicSchema },
  {
    class: 'breakout',
    sql: 'select 1 as a) as x, (select input_json from reporting_admin.tool_calls',
    expect: forbidden('reporting_admin'),
    admin: bounded('rows'),
  },
  { class: 'breakout', sql: 'select g from generate_series(1, 100000) g limit all', expect: bounded('rows') },
  {
    class: 'breakout',
    sql: 'select g from generate_series(1, 100000) g fetch first 1000000 rows only',
    expect: bounded('rows'),
  },
  { class: 'breakout', sql: 'select 1 /*', expect: invalid() },
  { class: 'breakout', sql: 'select 1 as one --', expect: rows({ rows: [{ one: 1 }] }) },
  { class: 'breakout', sql: 'select (((((1', expect: invalid() },
  { class: 'breakout', sql: 'select 1)))))', expect: invalid() },
  { class: 'breakout', sql: 'select 1; commit; drop table customers', expect: invalid(), subset: true },
  { class: 'breakout', sql: 'select 1; select 2', expect: invalid() },
  { class: 'breakout', sql: 'select 1 as one;', expect: rows({ rows: [{ one: 1 }] }) },
  { class: 'breakout', sql: 'select 1;;', expect: invalid() },
  { class: 'breakout', sql: ') as q; select 1 --', expect: invalid() },
  {
    class: 'breakout',
    sql: 'select $1 as v',
    params: ['1) as q; drop table customers; --'],
    expect: rows({ rows: [{ v: '1) as q; drop table customers; --' }] }),
  },
  { class: 'breakout', sql: 'rollback to savepoint run_query', expect: invalid() },
  {
    class: 'breakout',
    sql: 'select 1) as u offset 0) as q(c1) cross join lateral (select 0::bigint as n) as s --',
    expect: invalid(),
  },
];

/** The SQL of an attack in a given context. */
export const sqlOf = (attack: Attack, ctx: AttackContext) =>
  typeof attack.sql === 'string' ? attack.sql : attack.sql(ctx);

export function outcomeOf(attack: Attack, kind: DbKind, role: 'analyst' | 'finance' | 'admin'): Outcome {
  const chosen = role === 'admin' && attack.admin ? attack.admin : attack.expect;
  return 'code' in chosen || 'result' in chosen || 'survives' in chosen
    ? (chosen as Outcome)
    : (chosen as Record<DbKind, Outcome>)[kind];
}
