-- 007_least_privilege: what each database role may touch. Needs sql/superuser.sql first (roles,
-- revoked built-ins). Run by the owner role; the server runs as a member of erp_app.
--
-- run_query's sandbox is made of permissions: it runs as erp_reader (analyst, finance) or
-- erp_reader_admin (admin), roles that own nothing and may SELECT only the reporting views below,
-- one per business table and named like it. Credentials (api_tokens.token_hash), file paths of
-- models and the migrations table have no view; the audit payloads and conversation text are in
-- reporting_admin only. A table added later gets a view here only by a migration that says so.

create schema reporting;
create schema reporting_admin;

create view reporting.customers as select id, name, email, phone, created_at, updated_at from public.customers;
create view reporting.customer_kv as select customer_id, key, value, updated_at from public.customer_kv;
create view reporting.leads as select id, customer_name, contact_email, message, score, status, customer_id, created_at from public.leads;
create view reporting.tickets as select id, customer_id, subject, body, status, created_at, updated_at from public.tickets;
create view reporting.products as select id, sku, name, price, cost, description, active, created_at, updated_at from public.products;
create view reporting.orders as select id, customer_id, total, status, created_at, confirmed_at, fulfilled_at, cancelled_at, cancel_reason from public.orders;
create view reporting.order_items as select id, order_id, product_id, quantity, price, discount, line_total from public.order_items;
create view reporting.stock as select product_id, qty_on_hand, reserved_qty, reorder_point, updated_at from public.stock;
create view reporting.stock_movements as select id, product_id, change_qty, reason, ref_id, unit_cost, note, created_by, created_at from public.stock_movements;
create view reporting.suppliers as select id, name, email, phone, created_at from public.suppliers;
create view reporting.supplier_products as select supplier_id, product_id, supplier_sku, unit_cost, lead_time_days from public.supplier_products;
create view reporting.chart_of_accounts as select account, description, type from public.chart_of_accounts;
create view reporting.ledger_entries as select id, entry_date, memo, source, source_id, reverses_entry_id, created_by, created_at from public.ledger_entries;
create view reporting.ledger_lines as select id, entry_id, account, debit, credit from public.ledger_lines;
create view reporting.invoices as select id, customer_id, invoice_number, issue_date, due_date, total_amount, status, kind, credited_invoice_id,
  subtotal, tax_rate, tax_amount, reason, ledger_entry_id, posted_at, created_at from public.invoices;
create view reporting.invoice_lines as select id, invoice_id, description, quantity, unit_price, line_total, tax_amount, order_id, product_id, discount from public.invoice_lines;
create view reporting.invoice_orders as select invoice_id, order_id from public.invoice_orders;
create view reporting.payments as select id, customer_id, amount, method, received_at, reference, ledger_entry_id, created_at from public.payments;
create view reporting.payment_allocations as select id, payment_id, invoice_id, amount, created_at from public.payment_allocations;
create view reporting.credit_allocations as select id, credit_note_id, invoice_id, amount, created_at from public.credit_allocations;
create view reporting.invoice_balances as select * from public.invoice_balances;
create view reporting.unapplied_credits as select * from public.unapplied_credits;
create view reporting.document_sequences as select series, year, last_value from public.document_sequences;
create view reporting.settings as select key, value, updated_at from public.settings;
create view reporting.documents as select id, module, path, tags, title, content, content_hash, model_id, created_at, updated_at from public.documents;
create view reporting.document_chunks as select id, document_id, chunk_index, content, heading, model_id from public.document_chunks;
create view reporting.model_registry as select id, name, version, kind, dimensions, created_at from public.model_registry;
create view reporting.ml_features_cache as select entity_type, entity_id, feature_json, model_id, computed_at from public.ml_features_cache;
create view reporting.users as select id, name, email, role, created_at from public.users;
create view reporting.approvals as select id, module, action, payload_json, payload_hash, status, requested_by, decided_by, reason,
  result_json, created_at, decided_at from public.approvals;
create view reporting.conversations as select id, user_id, started_at from public.conversations;
-- Conversation text is private to its owner (get_conversation) and admins (reporting_admin).
create view reporting.messages as select id, conversation_id, sender, created_at from public.messages;
-- The audit log's metadata: who called what, when, with which outcome; the payloads are admin-only.
create view reporting.tool_calls as select id, agent, tool_name, status, error_code, duration_ms, user_id, conversation_id, approval_id,
  prev_hash, hash, created_at from public.tool_calls;

create view reporting_admin.messages as select id, conversation_id, sender, content, created_at from public.messages;
create view reporting_admin.tool_calls as select id, agent, tool_name, input_json, output_json, status, error_code, duration_ms, user_id,
  conversation_id, approval_id, prev_hash, hash, created_at from public.tool_calls;

grant usage on schema reporting to erp_reader, erp_reader_admin;
grant select on all tables in schema reporting to erp_reader, erp_reader_admin;
grant usage on schema reporting_admin to erp_reader_admin;
grant select on all tables in schema reporting_admin to erp_reader_admin;

-- The server: rows of every table, but the audit log and ledger lines are append-only to it, entries
-- cannot be deleted (UPDATE stays: a reversal locks its entry FOR UPDATE, which needs it), and
-- migrations are the owner's.
grant select, insert, update, delete on all tables in schema public to erp_app;
revoke update, delete, truncate on tool_calls, ledger_lines from erp_app;
revoke delete, truncate on ledger_entries from erp_app;
revoke insert, update, delete, truncate on schema_migrations from erp_app;
grant usage, select, update on all sequences in schema public to erp_app;
revoke execute on all functions in schema public from public;
grant execute on all functions in schema public to erp_app;
alter default privileges in schema public grant select, insert, update, delete on tables to erp_app;
alter default privileges in schema public grant usage, select, update on sequences to erp_app;
alter default privileges in schema public revoke execute on functions from public;
alter default privileges in schema public grant execute on functions to erp_app;

-- The audit chain's order comes from this one row's lock, which only the server's role can take
-- (an advisory lock could be taken by any session). It also holds the previous hash, so an append
-- no longer searches tool_calls for the newest row.
create table audit_head (  -- addition: the head of the audit hash chain
  only_row  boolean primary key default true check (only_row),
  last_id   integer,
  last_hash text not null
);
insert into audit_head (last_id, last_hash)
select (select max(id) from tool_calls),
       coalesce((select hash from tool_calls order by id desc limit 1), '0000000000000000000000000000000000000000000000000000000000000000');
grant select, update on audit_head to erp_app;

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

-- Run-time DDL the server needs, done with the owner's rights through two narrow functions:
-- an embedding model's partial HNSW index (identifiers built from integers only), and ANALYZE of
-- the chunks after a bulk ingest (PGlite has no autovacuum).
create function erp_ensure_model_index(p_model_id integer, p_dimensions integer) returns void
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  if p_model_id is null or p_model_id < 1 or p_dimensions is null or p_dimensions not between 1 and 16000 then
    raise exception 'invalid embedding model % (% dimensions)', p_model_id, p_dimensions using errcode = '22023';
  end if;
  execute format('create index if not exists document_chunks_hnsw_m%s_idx on document_chunks
    using hnsw ((embedding::vector(%s)) vector_cosine_ops) where model_id = %s', p_model_id, p_dimensions, p_model_id);
end $$;

create function erp_analyze_documents() returns void
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  analyze documents;
  analyze document_chunks;
end $$;

revoke execute on function erp_ensure_model_index(integer, integer), erp_analyze_documents() from public;
grant execute on function erp_ensure_model_index(integer, integer), erp_analyze_documents() to erp_app;
