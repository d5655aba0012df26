-- 012_oauth: the built-in authorization server's state (issue 16): oidc-provider's models, its
-- signing and cookie keys, and the sign-in failures that lock an e-mail address or an IP out.
--
-- Everything here is a credential or leads to one: no reporting view names these tables, so
-- run_query never reads them (sql/007). The server's role reads and writes them; the grants are
-- spelled out although sql/007's default privileges would give the same.

-- addition: oidc-provider's models (sessions, interactions, grants, codes, refresh tokens,
-- registered clients), one row each, payload as the library writes it (src/auth/oauth-store.ts).
create table oauth_store (
  model       text not null,
  id          text not null,
  payload     jsonb not null,
  grant_id    text,          -- addition: revoking a grant deletes every row carrying it
  uid         text,          -- addition: a session is also found by its uid
  user_code   text,          -- addition: device codes are found by it (the flow is off; the library asks)
  user_id     integer references users(id) on delete cascade,  -- addition: the signed-in user; ending their sessions deletes these rows
  expires_at  timestamptz,   -- addition: null = until deleted (registered clients)
  consumed_at timestamptz,   -- addition: a used code or rotated refresh token; using it again revokes its grant
  primary key (model, id)
);
create index oauth_store_grant_idx on oauth_store (grant_id) where grant_id is not null;
create index oauth_store_uid_idx on oauth_store (uid) where uid is not null;
create index oauth_store_user_idx on oauth_store (user_id) where user_id is not null;
create index oauth_store_expiry_idx on oauth_store (expires_at) where expires_at is not null;

-- addition: the keys the authorization server signs access tokens with (a private JWK set) and
-- signs its cookies with; made on first use by whichever instance comes first, then shared.
create table oauth_keys (
  purpose    text primary key check (purpose in ('signing', 'cookies')),
  secret     jsonb not null,
  created_at timestamptz not null default now()
);

-- addition: failed sign-ins per e-mail address and per client IP; a subject with too many in a
-- window is locked until locked_until (src/domain/platform/sign-in.ts). Shared by every instance.
create table sign_in_failures (
  subject         text primary key,  -- 'email:<address>' or 'ip:<address>'
  failures        integer not null default 0 check (failures >= 0),
  first_failed_at timestamptz not null default now(),
  locked_until    timestamptz
);

grant select, insert, update, delete on oauth_store, oauth_keys, sign_in_failures to erp_app;
