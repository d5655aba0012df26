-- 017: the audit log is 32 hash chains instead of one (issue 18). A chain's head row is locked
-- from a row's append until its transaction commits, and PostgreSQL flushes a commit to disk
-- before it lets go of that lock: with one chain, every durable commit of every server waited for
-- the one before it to reach the disk, so writes never overlapped (order-to-cash stayed at the same
-- cycles per second from 1 to 16 clients, and three servers did no more than one). An append now
-- takes the first head that no other transaction holds (SKIP LOCKED), so transactions in flight
-- at once append to different chains and their commits are flushed together; only when all 32 are
-- held does it wait, for one picked by its backend. A quiet server still writes one line: chain 0.
--
-- Each row records its chain; within a chain rows link in id order (ids are drawn under the head's
-- lock), so an edited, deleted or reordered row breaks its chain's next link exactly as before,
-- and verify_audit_log walks all rows in id order keeping one expected link per chain. The row
-- hash is unchanged (prev | id | conversation | content digest), so rows written before this
-- migration verify as chain 0, which they are. audit_head keeps its name and rights: one row per
-- chain, only the server's role can lock them, and no user input picks a chain.
alter table audit_head drop constraint audit_head_pkey;
alter table audit_head drop column only_row;
alter table audit_head add column chain smallint not null default 0;
alter table audit_head alter column chain drop default;
alter table audit_head add primary key (chain);
alter table audit_head add constraint audit_head_chain_range check (chain between 0 and 31);
insert into audit_head (chain, last_id, last_hash)
select g, null, '0000000000000000000000000000000000000000000000000000000000000000' from generate_series(1, 31) g;

alter table tool_calls add column chain smallint not null default 0;

create or replace function append_tool_call(
  p_agent text, p_tool_name text, p_input jsonb, p_output jsonb, p_status text, p_error_code text,
  p_duration_ms integer, p_user_id integer, p_conversation_id integer, p_approval_id integer,
  p_created_at timestamptz, p_content_digest text
) returns integer language plpgsql as $$
declare
  v_chain smallint;
  v_prev text;
  v_id integer;
  v_conversation integer;
  v_hash text;
begin
  -- A request that changed nothing commits without waiting for the WAL flush (sql/013).
  if has_function_privilege('pg_catalog.pg_current_xact_id_if_assigned()', 'execute') then
    if pg_current_xact_id_if_assigned() is null then
      set local synchronous_commit = off;
    end if;
  end if;
  select chain, last_hash into v_chain, v_prev from audit_head order by chain limit 1 for update skip locked;
  if not found then
    select chain, last_hash into v_chain, v_prev from audit_head where chain = pg_backend_pid() % 32 for update;
  end if;
  v_id := nextval(pg_get_serial_sequence('tool_calls', 'id'));
  -- An unknown conversation id from a client is recorded as none rather than failing the audit.
  select id into v_conversation from conversations where id = p_conversation_id;
  v_hash := encode(sha256(convert_to(v_prev || '|' || v_id || '|' || coalesce(v_conversation::text, '') || '|' || p_content_digest, 'UTF8')), 'hex');
  insert into tool_calls (id, agent, tool_name, input_json, output_json, status, error_code, duration_ms,
    user_id, conversation_id, approval_id, chain, prev_hash, hash, created_at)
  overriding system value
  values (v_id, p_agent, p_tool_name, p_input, p_output, p_status, p_error_code, p_duration_ms,
    p_user_id, v_conversation, p_approval_id, v_chain, v_prev, v_hash, p_created_at);
  update audit_head set last_id = v_id, last_hash = v_hash where chain = v_chain;
  return v_id;
end $$;
