-- 010_document_owner: a document's identity is its source and path, and who ingested it is kept
-- (issue 13). A text upload lives in its own namespace, so it can never replace a file-backed
-- document of the same name; replacing or deleting another user's document takes the rag admin
-- permission (src/rag/documents.ts), which needs to know whose it is.

alter table documents add column source text not null default 'file' check (source in ('file', 'text'));  -- addition: a file under ERP_DOCS_DIR, or text sent by a client
alter table documents add column ingested_by integer references users(id) on delete restrict;  -- addition: whose ingest wrote the current content; null = the operator's command line
create index documents_ingested_by_idx on documents(ingested_by) where ingested_by is not null;
-- Earlier text uploads without a path were named inline/<title>; any other earlier row is taken to
-- be a file. Their ingester was not recorded, so they stay with the operator (admins manage them).
update documents set source = 'text' where path like 'inline/%';
alter table documents drop constraint documents_path_key;
alter table documents add constraint documents_source_path_key unique (source, path);

-- run_query sees the new columns; the view keeps its grants (sql/007).
create or replace view reporting.documents as select id, module, path, tags, title, content, content_hash, model_id, created_at, updated_at,
  source, ingested_by from public.documents;
