-- 016: each model's HNSW index is built with m = 12 and ef_construction = 40 instead of pgvector's
-- 16 and 64. Inserting into the graph was the largest cost of ingest on both engines (475 chunks
-- on PostgreSQL: ~400 ms of ~550 ms; ~2× less with these); search keeps recall@10 1.000 against exact
-- search at 2,000 (PGlite) and 10,000 (PostgreSQL) chunks with hnsw.ef_search = 100 (bench section 3).
-- The statement is still built from integers only (009). Indexes made before are rebuilt.
create or replace function erp_create_model_index(p_model_id integer, p_dimensions integer) returns void
language plpgsql set search_path = public, pg_temp as $$
begin
  if p_model_id is null or p_model_id < 1 or p_dimensions is null or p_dimensions not between 1 and 16000 then
    raise exception 'invalid embedding model % (% dimensions)', p_model_id, p_dimensions using errcode = '22023';
  end if;
  execute 'create index if not exists document_chunks_hnsw_m' || p_model_id || '_idx on document_chunks'
    || ' using hnsw ((embedding::vector(' || p_dimensions || ')) vector_cosine_ops)'
    || ' with (m = 12, ef_construction = 40) where model_id = ' || p_model_id;
end $$;
revoke execute on function erp_create_model_index(integer, integer) from public, erp_app;

do $$
declare
  m record;
begin
  for m in select id, dimensions from model_registry where kind = 'embedding' and dimensions between 1 and 16000 loop
    execute 'drop index if exists document_chunks_hnsw_m' || m.id || '_idx';
    perform erp_create_model_index(m.id, m.dimensions);
  end loop;
end $$;
