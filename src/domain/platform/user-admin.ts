// Managing users without SQL (issue 16): add, list, change a role, disable and enable. The same
// rules serve the admin tools (src/tools/router-users.ts) and the CLI (src/user-commands.ts): e-mails are
// lowercase and unique, the last active admin stays, and disabling ends every session at once.
import type { Tx } from '../../db/types.js';
import { conflict, DomainError, invalid } from '../shared/errors.js';
import { decodeCursor, toPage, type Page } from '../shared/pagination.js';
import { ROLES, type Role } from './users.js';

/** A user as the tools and the CLI show it: never the password hash, only whether one is set. */
export interface UserAccount {
  id: number;
  name: string;
  email: string;
  role: Role;
  created_at: string;
  disabled_at: string | null;
  has_password: boolean;
  password_changed_at: string | null;
}

const ACCOUNT_COLUMNS =
  'id, name, email, role, created_at, disabled_at, password_hash is not null as has_password, password_changed_at';

export const MAX_NAME_LENGTH = 200;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normalEmail(email: string): string {
  const normal = email.trim().toLowerCase();
  if (normal.length > 254 || !EMAIL.test(normal))
    throw invalid(`email must be an e-mail address like name@example.com (got ${JSON.stringify(email.slice(0, 80))})`);
  return normal;
}

export function checkRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role))
    throw invalid(`role must be one of ${ROLES.join(', ')} (got ${JSON.stringify(role.slice(0, 40))})`);
  return role as Role;
}

function normalName(name: string): string {
  const normal = name.trim();
  if (normal.length === 0) throw invalid('name must not be empty');
  if (normal.length > MAX_NAME_LENGTH) throw invalid(`name must be at most ${MAX_NAME_LENGTH} characters`);
  return normal;
}

/** Adds a user; an e-mail already taken is a CONFLICT, never an update of the other user. */
export async function addUser(tx: Tx, input: { email: string; name: string; role: string }): Promise<UserAccount> {
  const email = normalEmail(input.email);
  const [row] = await tx.query<UserAccount>(
    `insert into users (name, email, role) values ($1, $2, $3) on conflict (email) do nothing returning ${ACCOUNT_COLUMNS}`,
    [normalName(input.name), email, checkRole(input.role)],
  );
  if (!row)
    throw conflict(
      `A user with e-mail ${email} already exists; change their role with set_user_role (CLI: erp-mcp user set-role)`,
    );
  return row;
}

export type UserRef = { user_id: number } | { email: string };
const describeRef = (ref: UserRef) => ('user_id' in ref ? `User ${ref.user_id}` : `User ${ref.email}`);

/** One user by id or e-mail; lock takes the row for a change. */
export async function getUserAccount(tx: Tx, ref: UserRef, lock = false): Promise<UserAccount> {
  const [where, value] = 'user_id' in ref ? ['id = $1', ref.user_id] : ['email = $1', normalEmail(ref.email)];
  const [row] = await tx.query<UserAccount>(
    `select ${ACCOUNT_COLUMNS} from users where ${where}${lock ? ' for update' : ''}`,
    [value],
  );
  if (!row) throw new DomainError('NOT_FOUND', `${describeRef(ref)} does not exist`);
  return row;
}

export interface ListUsersInput {
  role?: Role;
  status?: 'active' | 'disabled';
  limit: number;
  cursor?: string;
}

/** Users in id order, paginated like every list. */
export async function listUsers(tx: Tx, input: ListUsersInput): Promise<Page<UserAccount>> {
  const after = decodeCursor(input.cursor, ['number']);
  const rows = await tx.query<UserAccount>(
    `select ${ACCOUNT_COLUMNS} from users
     where ($1::text is null or role = $1)
       and ($2::text is null or ($2 = 'active') = (disabled_at is null))
       and ($3::int is null or id > $3)
     order by id limit $4`,
    [input.role ?? null, input.status ?? null, after?.[0] ?? null, input.limit + 1],
  );
  return toPage(
    rows,
    input.limit,
    (r) => [r.id],
    (r) => r,
  );
}

/**
 * Locks every active admin in id order and refuses when user is the last one. Concurrent demotions
 * queue on these locks, so two of them cannot each leave the other admin as the last one; the
 * trigger of sql/011 checks the same at the database for any other writer.
 */
async function keepAnAdmin(tx: Tx, user: UserAccount, change: string): Promise<void> {
  const admins = await tx.query<{ id: number }>(
    `select id from users where role = 'admin' and disabled_at is null order by id for update`,
  );
  if (admins.length === 1 && admins[0]!.id === user.id) {
    throw conflict(
      `User ${user.email} is the last active admin and cannot be ${change}; make another user admin first`,
    );
  }
}

export interface RoleChange {
  user: UserAccount;
  previous_role: Role;
}

export async function setUserRole(tx: Tx, ref: UserRef, role: string): Promise<RoleChange> {
  const wanted = checkRole(role);
  const user = await getUserAccount(tx, ref);
  if (user.role === 'admin' && wanted !== 'admin' && user.disabled_at === null) await keepAnAdmin(tx, user, 'demoted');
  const [row] = await tx.query<UserAccount>(`update users set role = $2 where id = $1 returning ${ACCOUNT_COLUMNS}`, [
    user.id,
    wanted,
  ]);
  return { user: row!, previous_role: user.role };
}

/**
 * Ends every way a user is signed in: their API tokens, and everything the built-in authorization
 * server holds for them (sign-in sessions, grants, codes, refresh tokens: sql/012's oauth_store).
 * Its access tokens are JWTs that name their grant; with the grant gone, and the user disabled,
 * the resource server refuses them on the next request. Returns how many it ended: API tokens,
 * grants (one per client signed in) and browser sign-in sessions.
 */
export async function endSessions(tx: Tx, userId: number): Promise<number> {
  const revoked = await tx.query(
    'update api_tokens set revoked_at = now() where user_id = $1 and revoked_at is null returning id',
    [userId],
  );
  const ended = await tx.query<{ model: string }>('delete from oauth_store where user_id = $1 returning model', [
    userId,
  ]);
  return revoked.length + ended.filter((r) => r.model === 'Grant' || r.model === 'Session').length;
}

export interface Disabled {
  user: UserAccount;
  sessions_ended: number;
}

/** Disables a user and ends their sessions in the same transaction; `by` cannot disable themself. */
export async function disableUser(tx: Tx, ref: UserRef, by?: { id: number }): Promise<Disabled> {
  const found = await getUserAccount(tx, ref);
  if (by && found.id === by.id) throw new DomainError('FORBIDDEN', 'You cannot disable yourself; ask another admin');
  if (found.role === 'admin' && found.disabled_at === null) await keepAnAdmin(tx, found, 'disabled');
  const [user] = await tx.query<UserAccount>(
    `update users set disabled_at = coalesce(disabled_at, now()) where id = $1 returning ${ACCOUNT_COLUMNS}`,
    [found.id],
  );
  return { user: user!, sessions_ended: await endSessions(tx, found.id) };
}

/** Enables a disabled user again; their old tokens stay revoked, so they need new credentials. */
export async function enableUser(tx: Tx, ref: UserRef): Promise<UserAccount> {
  const found = await getUserAccount(tx, ref);
  const [user] = await tx.query<UserAccount>(
    `update users set disabled_at = null where id = $1 returning ${ACCOUNT_COLUMNS}`,
    [found.id],
  );
  return user!;
}
