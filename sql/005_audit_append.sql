-- Appending to the audit chain in one statement (one round trip instead of six): the lock, the
-- previous hash, the id and the chained hash are taken inside the function, where each statement
-- sees rows committed before the lock was granted. The caller hashes the row's content
-- (content_digest); the chain hash is sha256(prev_hash|id|conversation_id|content_digest).
create function append_tool_call(
  p_agent text, p_tool_name text, p_input jsonb, p_output jsonb, p_status text, p_error_code text,
  p_duration_ms integer, p_user_id integer, p_conversation_id integer, p_approval_id integer,
  p_created_at timestamptz, p_content_digest text
) returns integer language plpgsql as $$
declare
  v_prev text;
  v_id integer;
  v_conversation integer;
begin
  perform pg_advisory_xact_lock(4200002);  -- the chain is a line: one appender at a time
  select hash into v_prev from tool_calls order by id desc limit 1;
  v_prev := coalesce(v_prev, repeat('0', 64));
  v_id := nextval(pg_get_serial_sequence('tool_calls', 'id'));
  -- An unknown conversation id from a client is recorded as none rather than failing the audit.
  select id into v_conversation from conversations where id = p_conversation_id;
  insert into tool_calls (id, agent, tool_name, input_json, output_json, status, error_code, duration_ms,
    user_id, conversation_id, approval_id, prev_hash, hash, created_at)
  overriding system value
  values (v_id, p_agent, p_tool_name, p_input, p_output, p_status, p_error_code, p_duration_ms,
    p_user_id, v_conversation, p_approval_id, v_prev,
    encode(sha256(convert_to(v_prev || '|' || v_id || '|' || coalesce(v_conversation::text, '') || '|' || p_content_digest, 'UTF8')), 'hex'),
    p_created_at);
  return v_id;
end $$;

-- Most calls carry no conversation or approval: index only the rows that do (cheaper appends).
drop index tool_calls_conversation_id_idx;
create index tool_calls_conversation_id_idx on tool_calls(conversation_id) where conversation_id is not null;
drop index tool_calls_approval_id_idx;
create index tool_calls_approval_id_idx on tool_calls(approval_id) where approval_id is not null;
