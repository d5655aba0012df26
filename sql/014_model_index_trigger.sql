-- 014: an embedding model's partial HNSW index is schema, made when the model is registered: an
-- AFTER INSERT trigger on model_registry builds it with the owner's rights, so the server never
-- runs DDL itself and needs no function that does (erp_ensure_model_index, sql/007 and 009, is
-- dropped). The statement is built from integers only (see 009: no format()).
create function erp_model_index() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  if new.kind <> 'embedding' or new.dimensions is null then
    return null;
  end if;
  if new.dimensions not between 1 and 16000 then
    raise exception 'invalid embedding model % (% dimensions)', new.id, new.dimensions using errcode = '22023';
  end if;
  execute 'create index if not exists document_chunks_hnsw_m' || new.id::integer || '_idx on document_chunks'
    || ' using hnsw ((embedding::vector(' || new.dimensions::integer || ')) vector_cosine_ops) where model_id = '
    || new.id::integer;
  return null;
end $$;
revoke execute on function erp_model_index() from public;

-- A row's kind and dimensions never change once chunks may point at it (its index is keyed by both).
create function erp_model_frozen() returns trigger language plpgsql as $$
begin
  raise exception 'model % keeps its kind and dimensions; register a new model instead', old.id
    using errcode = '55000';
end $$;

create trigger model_registry_index after insert on model_registry
  for each row execute function erp_model_index();
create trigger model_registry_frozen before update of kind, dimensions on model_registry
  for each row when (old.kind is distinct from new.kind or old.dimensions is distinct from new.dimensions)
  execute function erp_model_frozen();

-- Models registered before this migration: their index, if an older server has not made it.
do $$
declare
  m record;
begin
  for m in select id, dimensions from model_registry where kind = 'embedding' and dimensions between 1 and 16000 loop
    execute 'create index if not exists document_chunks_hnsw_m' || m.id::integer || '_idx on document_chunks'
      || ' using hnsw ((embedding::vector(' || m.dimensions::integer || ')) vector_cosine_ops) where model_id = '
      || m.id::integer;
  end loop;
end $$;

drop function erp_ensure_model_index(integer, integer);
