-- 009: erp_ensure_model_index builds its statement by concatenating integers instead of calling
-- format(), which sql/superuser.sql now revokes from PUBLIC: format('%100000000s', 'x') builds a
-- 100 MB string from one short expression, which a reader could use to stall the embedded database.
-- The owner running this SECURITY DEFINER function need not be granted format() back.
create or replace function erp_ensure_model_index(p_model_id integer, p_dimensions integer) returns void
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  if p_model_id is null or p_model_id < 1 or p_dimensions is null or p_dimensions not between 1 and 16000 then
    raise exception 'invalid embedding model % (% dimensions)', p_model_id, p_dimensions using errcode = '22023';
  end if;
  execute 'create index if not exists document_chunks_hnsw_m' || p_model_id || '_idx on document_chunks'
    || ' using hnsw ((embedding::vector(' || p_dimensions || ')) vector_cosine_ops) where model_id = ' || p_model_id;
end $$;
