-- 011_user_accounts: users are managed without SQL (issue 16): they can be disabled, carry an
-- optional password, and the last active admin cannot be demoted, disabled or deleted.
--
-- The new columns inherit the table grants of sql/007 (erp_app reads and writes users). run_query's
-- reporting.users lists its columns by name, so password_hash never reaches it; it gains only
-- disabled_at, which says who may act, not how they prove it.

alter table users add column disabled_at timestamptz;  -- addition: null = active; a disabled user's tokens are revoked and every request refused
alter table users add column password_hash text  -- addition: scrypt$N$r$p$salt$hash (src/domain/platform/passwords.ts); null = no password
  check (password_hash is null or password_hash like 'scrypt$%');
alter table users add column password_changed_at timestamptz;  -- addition: when the password was last set

create or replace view reporting.users as select id, name, email, role, created_at, disabled_at from public.users;

-- Someone must always be able to manage users and decide admin approvals. src/domain/platform/
-- user-admin.ts says so first (locking the active admins in id order, so concurrent demotions queue);
-- this trigger holds for any writer. Like sql/008 it locks the rows it counts, so two transactions
-- that each remove a different admin cannot both see the other one still there.
-- SQLSTATE EU001, mapped to CONFLICT in src/domain/shared/errors.ts.
create function erp_keep_an_admin() returns trigger language plpgsql as $$
begin
  perform 1 from users where role = 'admin' and disabled_at is null order by id for no key update;
  if not found then
    raise exception 'User % is the last active admin; make another user admin first', old.email using errcode = 'EU001';
  end if;
  return null;
end $$;

create trigger users_keep_an_admin after update of role, disabled_at on users
  for each row when (old.role = 'admin' and old.disabled_at is null and (new.role <> 'admin' or new.disabled_at is not null))
  execute function erp_keep_an_admin();
create trigger users_keep_an_admin_on_delete after delete on users
  for each row when (old.role = 'admin' and old.disabled_at is null)
  execute function erp_keep_an_admin();
