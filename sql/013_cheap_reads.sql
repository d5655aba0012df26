-- Cheap reads (issue 18): a read costs its statements, not a flush to disk, and a customer's
-- balance reads that customer's allocations, not everyone's.

-- A request that changed nothing — a read, or a refusal — has no transaction id when its audit
-- row is appended: that row commits without waiting for the WAL flush (synchronous_commit off,
-- for this transaction only). PostgreSQL writes it within wal_writer_delay; only a crash of
-- PostgreSQL itself inside that window loses it, and then with every later row, so the chain stays
-- whole. A request that changed data holds a transaction id by then: its data and its audit row
-- commit together, durably, as before. Checked before the head's row lock, which takes an id.
create or replace function append_tool_call(
  p_agent text, p_tool_name text, p_input jsonb, p_output jsonb, p_status text, p_error_code text,
  p_duration_ms integer, p_user_id integer, p_conversation_id integer, p_approval_id integer,
  p_created_at timestamptz, p_content_digest text
) returns integer language plpgsql as $$
declare
  v_prev text;
  v_id integer;
  v_conversation integer;
  v_hash text;
begin
  -- The server's role may ask from sql/superuser.sql on; where a superuser has not re-run it
  -- since, every row commits durably, as before.
  if has_function_privilege('pg_catalog.pg_current_xact_id_if_assigned()', 'execute') then
    if pg_current_xact_id_if_assigned() is null then
      set local synchronous_commit = off;
    end if;
  end if;
  select last_hash into v_prev from audit_head for update;  -- the chain is a line: one appender at a time
  v_id := nextval(pg_get_serial_sequence('tool_calls', 'id'));
  -- An unknown conversation id from a client is recorded as none rather than failing the audit.
  select id into v_conversation from conversations where id = p_conversation_id;
  v_hash := encode(sha256(convert_to(v_prev || '|' || v_id || '|' || coalesce(v_conversation::text, '') || '|' || p_content_digest, 'UTF8')), 'hex');
  insert into tool_calls (id, agent, tool_name, input_json, output_json, status, error_code, duration_ms,
    user_id, conversation_id, approval_id, prev_hash, hash, created_at)
  overriding system value
  values (v_id, p_agent, p_tool_name, p_input, p_output, p_status, p_error_code, p_duration_ms,
    p_user_id, v_conversation, p_approval_id, v_prev, v_hash, p_created_at);
  update audit_head set last_id = v_id, last_hash = v_hash;
  return v_id;
end $$;

-- The balances sum each invoice's and each credit's own allocations (index lookups), so a filter
-- on a customer or an invoice reaches them; grouping all allocations first cost a scan of the
-- whole table on every read. Same columns, same types: the reporting views stand unchanged.
create or replace view invoice_balances as
select i.id as invoice_id, i.customer_id, i.invoice_number, i.status, i.issue_date, i.due_date, i.total_amount,
       pa.amount::numeric(14,2) as paid,
       ca.amount::numeric(14,2) as credited,
       (i.total_amount - pa.amount - ca.amount)::numeric(14,2) as open_amount
from invoices i
cross join lateral (select coalesce(sum(amount), 0) as amount from payment_allocations where invoice_id = i.id) pa
cross join lateral (select coalesce(sum(amount), 0) as amount from credit_allocations where invoice_id = i.id) ca
where i.kind = 'invoice';

create or replace view unapplied_credits as
select 'payment'::text as source, p.id as source_id, p.customer_id, p.received_at as credit_date,
       (p.amount - a.amount)::numeric(14,2) as unapplied
from payments p
cross join lateral (select coalesce(sum(amount), 0) as amount from payment_allocations where payment_id = p.id) a
union all
select 'credit_note'::text, c.id, c.customer_id, c.issue_date,
       (c.total_amount - a.amount)::numeric(14,2)
from invoices c
cross join lateral (select coalesce(sum(amount), 0) as amount from credit_allocations where credit_note_id = c.id) a
where c.kind = 'credit_note' and c.status = 'posted';
