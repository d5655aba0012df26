-- 014: an embedding model's partial HNSW index is schema, made when the model is registered: an
-- AFTER INSERT trigger on model_registry builds it with the owner's rights, so the server never
-- runs DDL itself and needs no function that does (erp_ensure_model_index, sql/007 and 009, is
-- dropped). The statement is built from integers only (see 009: no format()).

-- The index of one model: the owner's only, reached through the trigger below and this migration.
create function erp_create_model_index(p_model_id integer, p_dimensions integer) returns void
language plpgsql set search_path = public, pg_temp as $$
begin
  if p_model_id is null or p_model_id < 1 or p_dimensions is null or p_dimensions not between 1 and 16000 then
    raise exception 'invalid embedding model % (% dimensions)', p_model_id, p_dimensions using errcode = '22023';
  end if;
  execute 'create index if not exists document_chunks_hnsw_m' || p_model_id || '_idx on document_chunks'
    || ' using hnsw ((embedding::vector(' || p_dimensions || ')) vector_cosine_ops) where model_id = ' || p_model_id;
end $$;
revoke execute on function erp_create_model_index(integer, integer) from public, erp_app;

create function erp_model_index() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  if new.kind = 'embedding' and new.dimensions is not null then
    perform erp_create_model_index(new.id, new.dimensions);
  end if;
  return null;
end $$;
revoke execute on function erp_model_index() from public, erp_app;

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
select erp_create_model_index(id, dimensions) from model_registry
where kind = 'embedding' and dimensions between 1 and 16000;

drop function erp_ensure_model_index(integer, integer);
