-- 020: a document's text is stored in parts as it is read, so ingesting a huge file never holds
-- its whole text (issue 18). documents.content keeps the first part — the whole text of any
-- document under a mebicharacter (src/rag/document-text.ts) — and document_text_parts the rest,
-- in order; readers join them (getDocument, reporting.documents). And a large load may write its
-- chunks without the model's HNSW index and build it again before it commits: CREATE INDEX builds
-- the graph in memory, 3–4× less work than inserting its rows one by one (bench section 3).

create table document_text_parts (  -- addition: the text of a document after its first part (documents.content)
  document_id  integer not null references documents(id) on delete cascade,
  part         integer not null check (part >= 1),
  content      text not null,
  primary key (document_id, part)
);

-- run_query reads a document's whole text, as before.
create or replace view reporting.documents as select id, module, path, tags, title,
  case when exists (select 1 from public.document_text_parts p where p.document_id = d.id)
    then d.content || (select string_agg(p.content, '' order by p.part) from public.document_text_parts p where p.document_id = d.id)
    else d.content end as content,
  content_hash, model_id, created_at, updated_at, source, ingested_by from public.documents d;

-- Dropping the index takes an ACCESS EXCLUSIVE lock on document_chunks until the load commits:
-- searches wait for it rather than scan without the index. Only the ingest of a document at least
-- as large as the model's other chunks does it (src/rag/ingest.ts), so the rebuild costs at most
-- twice its own rows. The owner's rights, through these two functions only.
create function erp_suspend_model_index(p_model_id integer) returns void
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  if p_model_id is null or p_model_id < 1 then
    raise exception 'invalid embedding model %', p_model_id using errcode = '22023';
  end if;
  execute 'drop index if exists document_chunks_hnsw_m' || p_model_id || '_idx';
end $$;

create function erp_rebuild_model_index(p_model_id integer) returns void
language plpgsql security definer set search_path = public, pg_temp set maintenance_work_mem = '256MB' as $$
declare
  v_dimensions integer;
begin
  select dimensions into v_dimensions from model_registry where id = p_model_id and kind = 'embedding';
  if v_dimensions is null then
    raise exception 'no embedding model %', p_model_id using errcode = '22023';
  end if;
  perform erp_create_model_index(p_model_id, v_dimensions);
end $$;

revoke execute on function erp_suspend_model_index(integer), erp_rebuild_model_index(integer) from public;
grant execute on function erp_suspend_model_index(integer), erp_rebuild_model_index(integer) to erp_app;
