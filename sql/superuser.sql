-- What only a superuser may do, once per database, before `erp-mcp migrate` (which runs this file
-- itself when it connects as a superuser: PGlite always, a developer's PostgreSQL usually).
-- Idempotent. Roles are cluster-wide; the grants and revokes below belong to this database.
--
--   erp_app           NOLOGIN group of the server's login role: reads and writes business tables
--   erp_reader        NOLOGIN; run_query for analyst and finance: SELECT on schema reporting only
--   erp_reader_admin  NOLOGIN; run_query for admins: reporting plus reporting_admin (audit payloads,
--                     message text)
-- The server may SET ROLE to a reader (erp_app is a member of both); a reader has no privilege of
-- erp_app and no way back (set_config is revoked below).

create extension if not exists vector;

do $$
declare
  r text;
begin
  foreach r in array array['erp_app', 'erp_reader', 'erp_reader_admin'] loop
    begin
      if not exists (select from pg_roles where rolname = r) then
        execute format('create role %I nologin', r);
      end if;
    exception when duplicate_object or unique_violation then
      null;  -- another database's migrate created it a moment ago
    end;
  end loop;
end $$;

grant erp_reader, erp_reader_admin to erp_app;

-- Only the server (and the owner, through ownership) may use objects in public; readers see the
-- reporting schemas the migrations publish, nothing else of ours.
revoke all on schema public from public;
grant usage on schema public to erp_app;

-- Built-ins PostgreSQL lets every role execute that reach outside a rolled-back, read-only query:
-- locks that outlive it, signals, sleeping, changing settings (set_config can switch the role back),
-- reading settings, large objects, WAL and replication, statistics resets, transaction ids, dynamic
-- SQL that dumps tables (query_to_xml, ts_stat), and the string builders that turn one short
-- expression into a gigabyte (repeat, lpad, rpad, array_fill, format's field widths). Most of the
-- rest (files, backups, slots) are superuser-only already; they are listed too, so the list states
-- the whole policy. The server's role gets back the few it uses.
do $$
declare
  f regprocedure;
begin
  for f in
    select p.oid::regprocedure from pg_proc p
    where p.pronamespace = 'pg_catalog'::regnamespace
      and (p.proname ~ '^(pg_advisory_|pg_try_advisory_|lo_|pg_ls_|pg_read_|pg_stat_reset|pg_logical_|pg_replication_|pg_create_|pg_drop_replication|pg_copy_|pg_backup_|pg_wal_replay_|pg_control_|pg_current_wal|pg_current_xact|txid_current|pg_sleep)'
        or p.proname ~ '_to_xml(schema|_and_xmlschema)?$'
        or p.proname = any (array[
          'loread', 'lowrite', 'pg_cancel_backend', 'pg_terminate_backend', 'pg_reload_conf',
          'pg_rotate_logfile', 'pg_rotate_logfile_old', 'pg_log_backend_memory_contexts', 'pg_notify',
          'set_config', 'current_setting', 'pg_show_all_settings', 'pg_stat_file', 'pg_current_logfile',
          'pg_relation_filepath', 'pg_switch_wal', 'pg_start_backup', 'pg_stop_backup', 'pg_promote',
          'pg_import_system_collations', 'pg_nextoid', 'pg_stop_making_pinned_objects', 'ts_stat',
          'repeat', 'lpad', 'rpad', 'array_fill', 'format', 'pg_file_write', 'pg_file_sync', 'pg_file_rename',
          'pg_file_unlink', 'pg_stat_clear_snapshot', 'pg_stat_force_next_flush']))
  loop
    execute format('revoke execute on function %s from public', f);
  end loop;
end $$;
revoke select on pg_catalog.pg_settings from public;

grant execute on function pg_catalog.current_setting(text), pg_catalog.current_setting(text, boolean),
  pg_catalog.repeat(text, integer), pg_catalog.lpad(text, integer, text), pg_catalog.rpad(text, integer, text),
  pg_catalog.format(text), pg_catalog.format(text, variadic "any"),
  pg_catalog.pg_current_xact_id_if_assigned() -- did this request change anything (sql/013)
  to erp_app;
