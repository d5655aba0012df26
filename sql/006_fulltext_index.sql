-- Full-text search reads the GIN index directly: with fastupdate (the default) new chunks wait in
-- a pending list that every search scans in full until VACUUM merges it — after a bulk ingest
-- the planner then prefers a sequential scan of every chunk. Ingest pays a little more instead.
alter index document_chunks_tsv_idx set (fastupdate = off);
select gin_clean_pending_list('document_chunks_tsv_idx'::regclass);
