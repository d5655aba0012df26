-- 004_rag: document chunks for retrieval. The embedding column has no fixed dimension so
-- several registered models can coexist; each model gets its own partial HNSW index on
-- embedding::vector(N), created when the model is registered (src/rag/models.ts).

create table document_chunks (  -- addition: the searchable pieces of a document
  id           integer generated always as identity primary key,
  document_id  integer not null references documents(id) on delete cascade,
  chunk_index  integer not null check (chunk_index >= 0),
  content      text not null,
  heading      text,                                                     -- nearest heading above the chunk
  embedding    vector not null,
  model_id     integer not null references model_registry(id) on delete restrict,
  tsv          tsvector generated always as (to_tsvector('english', coalesce(heading, '') || ' ' || content)) stored,
  unique (document_id, chunk_index)
);
create index document_chunks_model_id_idx on document_chunks(model_id);
create index document_chunks_tsv_idx on document_chunks using gin (tsv);
create index documents_tags_idx on documents using gin (tags);
