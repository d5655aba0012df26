-- 003_platform: bearer tokens for the HTTP transport.

-- addition: API tokens; only the SHA-256 of a token is stored, the token itself is shown once.
create table api_tokens (
  id            integer generated always as identity primary key,
  user_id       integer not null references users(id) on delete restrict,
  name          text not null default '',
  token_hash    text not null unique,
  created_at    timestamptz not null default now(),
  last_used_at  timestamptz,
  revoked_at    timestamptz
);
create index api_tokens_user_id_idx on api_tokens(user_id);
