-- 019: a read and its audit row in one statement, and a write's answer built behind its work
-- (issue 18). A read tool's answer is one SQL expression; erp_answer() takes it, checks the gate's database facts (the caller is still
-- active, a linked conversation is theirs), appends the audit row and returns the answer, all in
-- one statement, which is its own transaction: one round trip where a read took two (the audit
-- row's statement could only be sent once the answer had come back, to be hashed by the server).
-- erp_record does the same for a write's answer (post_invoice), sent behind its last statements.
--
-- So the row's content digest is now computed here, from the stored values: version 2 of the
-- digest is sha256 of a jsonb array's text (jsonb's text form is fixed by its value, keys sorted
-- and spacing normalised, whatever the client sent). Rows written before this migration keep
-- version 1 (computed by the server, canonical JSON) and verify as before; verify_audit_log asks
-- the database for version 2 digests. The row hash binding a digest to its place in its chain is
-- unchanged. Every row appended from now on is version 2: the server no longer hashes anything.
alter table tool_calls add column digest_version smallint not null default 1;
alter table tool_calls add constraint tool_calls_digest_version check (digest_version in (1, 2));

-- The digest of a row's content, version 2. created_at is written as UTC text to the
-- microsecond, so the session's time zone and date style change nothing.
create function audit_content_digest(
  p_created_at timestamptz, p_agent text, p_tool_name text, p_status text, p_error_code text,
  p_duration_ms integer, p_user_id integer, p_approval_id integer, p_input jsonb, p_output jsonb
) returns text language sql stable as $$
  select encode(sha256(convert_to(jsonb_build_array(
    to_char(p_created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), p_agent, p_tool_name, p_status,
    p_error_code, p_duration_ms, p_user_id, p_approval_id, p_input, p_output)::text, 'UTF8')), 'hex')
$$;

-- As in 017, but the digest is computed here (version 2). p_content_digest is kept in the
-- signature for servers still running the code before this migration: a digest they pass is
-- stored as version 1, as they computed it.
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
  v_digest text := p_content_digest;
  v_version smallint := 1;
  v_hash text;
begin
  -- A request that changed nothing commits without waiting for the WAL flush (sql/013).
  if has_function_privilege('pg_catalog.pg_current_xact_id_if_assigned()', 'execute') then
    if pg_current_xact_id_if_assigned() is null then
      set local synchronous_commit = off;
    end if;
  end if;
  if v_digest is null then
    v_digest := audit_content_digest(p_created_at, p_agent, p_tool_name, p_status, p_error_code, p_duration_ms,
      p_user_id, p_approval_id, p_input, p_output);
    v_version := 2;
  end if;
  select chain, last_hash into v_chain, v_prev from audit_head order by chain limit 1 for update skip locked;
  if not found then
    select chain, last_hash into v_chain, v_prev from audit_head where chain = pg_backend_pid() % 32 for update;
  end if;
  v_id := nextval(pg_get_serial_sequence('tool_calls', 'id'));
  -- An unknown conversation id from a client is recorded as none rather than failing the audit.
  select id into v_conversation from conversations where id = p_conversation_id;
  v_hash := encode(sha256(convert_to(v_prev || '|' || v_id || '|' || coalesce(v_conversation::text, '') || '|' || v_digest, 'UTF8')), 'hex');
  insert into tool_calls (id, agent, tool_name, input_json, output_json, status, error_code, duration_ms,
    user_id, conversation_id, approval_id, chain, prev_hash, hash, created_at, digest_version)
  overriding system value
  values (v_id, p_agent, p_tool_name, p_input, p_output, p_status, p_error_code, p_duration_ms,
    p_user_id, v_conversation, p_approval_id, v_chain, v_prev, v_hash, p_created_at, v_version);
  update audit_head set last_id = v_id, last_hash = v_hash where chain = v_chain;
  return v_id;
end $$;

-- A timestamp as the server shows it everywhere (JavaScript's toISOString: UTC, milliseconds), for
-- answers built in SQL.
create function erp_json_time(p_at timestamptz) returns text language sql stable as $$
  select to_char(p_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- A call's answer recorded as its output: the tool's answer as SQL (json, so its keys keep the order
-- it was built in), evaluated as this call's argument in the call's own transaction, after its
-- work; appended as an 'ok' row and returned. A write whose answer is built here sends it with its
-- last statements and its commit, so what it locked (an invoice series) is held for the
-- database's time alone. p_elapsed_ms is the server's time before this statement; the
-- statement's own is added here. A null answer is the server's bug: the call fails, nothing commits.
create function erp_record(
  p_answer json, p_user_id integer, p_conversation_id integer, p_agent text, p_tool_name text, p_input jsonb,
  p_created_at timestamptz, p_elapsed_ms double precision
) returns json language plpgsql as $$
declare
  v_text text := p_answer::text;
  v_output jsonb;
begin
  if p_answer is null then
    raise exception 'the answer of % is missing', p_tool_name;
  end if;
  -- The audit row's size limit, as auditableJson() (src/domain/platform/audit.ts) keeps it for every other row.
  if length(v_text) > 65536 then
    v_output := jsonb_build_object('truncated', true, 'bytes', octet_length(v_text), 'preview', left(v_text, 2000));
  else
    v_output := v_text::jsonb;
  end if;
  perform append_tool_call(p_agent, p_tool_name, p_input, v_output, 'ok', null,
    greatest(0, round(p_elapsed_ms + extract(epoch from clock_timestamp() - statement_timestamp()) * 1000))::integer,
    p_user_id, p_conversation_id, null, p_created_at, null);
  return p_answer;
end $$;

-- A read answered and audited in one statement, which is its own transaction: the checks the
-- server would make in the read's transaction, then erp_record. Returns null, appending nothing,
-- when the answer is null (the record is missing) or the caller is no longer active or links a
-- conversation that is not theirs: the server then runs the request the long way, which says why
-- in its own words and audits that.
create function erp_answer(
  p_answer json, p_user_id integer, p_conversation_id integer, p_agent text, p_tool_name text, p_input jsonb,
  p_created_at timestamptz, p_elapsed_ms double precision
) returns json language plpgsql as $$
begin
  if p_answer is null
     or not exists (select 1 from users where id = p_user_id and disabled_at is null)
     or (p_conversation_id is not null
         and not exists (select 1 from conversations where id = p_conversation_id and user_id = p_user_id)) then
    return null;
  end if;
  return erp_record(p_answer, p_user_id, p_conversation_id, p_agent, p_tool_name, p_input, p_created_at, p_elapsed_ms);
end $$;

-- The server's role only (a schema's default privileges cannot take back PUBLIC's EXECUTE).
revoke execute on function audit_content_digest(timestamptz, text, text, text, text, integer, integer, integer, jsonb, jsonb),
  erp_json_time(timestamptz),
  erp_record(json, integer, integer, text, text, jsonb, timestamptz, double precision),
  erp_answer(json, integer, integer, text, text, jsonb, timestamptz, double precision) from public;
grant execute on function audit_content_digest(timestamptz, text, text, text, text, integer, integer, integer, jsonb, jsonb),
  erp_json_time(timestamptz),
  erp_record(json, integer, integer, text, text, jsonb, timestamptz, double precision),
  erp_answer(json, integer, integer, text, text, jsonb, timestamptz, double precision) to erp_app;
