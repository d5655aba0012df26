-- 015: a document's full-text entries are merged into the GIN index once per ingest, not one by
-- one. 006 turned fastupdate off because searches scan the pending list until VACUUM merges it;
-- but inserting each chunk's lexemes straight into the tree was the largest part of writing a
-- chunk on PostgreSQL (475 chunks: ~140 ms of ~385 ms). Now new entries wait in the pending list
-- and the ingest that made them merges it before it commits (erp_merge_document_terms), in one
-- sorted pass, so searches still find an empty list. Bulk loads that skip ingest merge it through
-- erp_analyze_documents, which they call anyway (a manual ANALYZE does not merge it; autovacuum does).
alter index document_chunks_tsv_idx set (fastupdate = on);

-- gin_clean_pending_list is the index owner's: the server reaches it through this function only.
create function erp_merge_document_terms() returns void
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  perform gin_clean_pending_list('document_chunks_tsv_idx'::regclass);
end $$;
revoke execute on function erp_merge_document_terms() from public;
grant execute on function erp_merge_document_terms() to erp_app;

create or replace function erp_analyze_documents() returns void
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  perform erp_merge_document_terms();
  analyze documents;
  analyze document_chunks;
end $$;
