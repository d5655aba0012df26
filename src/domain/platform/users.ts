// Users and their roles: who is acting, and what they may do.
import type { Tx } from '../../db/types.js';
import { DomainError } from '../shared/errors.js';

export const ROLES = ['admin', 'sales', 'finance', 'inventory', 'analyst', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: number;
  name: string;
  email: string;
  role: Role;
  /**
   * The credential this request came with allows reads only (an OAuth token with scope erp:read
   * and not erp:write): it narrows the role to its read-only part, never widens it.
   */
  readOnly?: boolean;
}

export const DEFAULT_ADMIN_EMAIL = 'admin@erp.local';

interface UserRow extends User {
  disabled_at: string | null;
}

const USER_COLUMNS = 'id, name, email, role, disabled_at';
const asUser = (row: UserRow): User => ({ id: row.id, name: row.name, email: row.email, role: row.role });

async function lookUp(tx: Tx, email: string): Promise<UserRow | undefined> {
  const [row] = await tx.query<UserRow>(`select ${USER_COLUMNS} from users where email = $1`, [
    email.trim().toLowerCase(),
  ]);
  return row;
}

/** The active user with this e-mail; undefined when there is none or they are disabled. */
export async function findUserByEmail(tx: Tx, email: string): Promise<User | undefined> {
  const row = await lookUp(tx, email);
  return row && row.disabled_at === null ? asUser(row) : undefined;
}

const disabled = (email: string) =>
  new DomainError('FORBIDDEN', `User ${email} is disabled; an admin can enable it with "erp-mcp user enable ${email}"`);

/** The active user with this e-mail: how stdio (ERP_USER) and the CLI name who acts. */
export async function requireUserByEmail(tx: Tx, email: string): Promise<User> {
  const user = await lookUp(tx, email);
  if (!user) {
    throw new DomainError(
      'NOT_FOUND',
      `No user with e-mail ${email}; add one with "erp-mcp user add ${email} --name NAME --role ROLE" ("erp-mcp user list" shows who exists)`,
    );
  }
  if (user.disabled_at !== null) throw disabled(user.email);
  return asUser(user);
}

/**
 * Refuses a user disabled since their server was built (stdio binds its user at start): the gate
 * asks on every request, so disabling ends a running session at its next request.
 */
export async function assertActiveUser(tx: Tx, user: User): Promise<void> {
  const [row] = await tx.query<{ disabled_at: string | null }>('select disabled_at from users where id = $1', [
    user.id,
  ]);
  if (!row) throw new DomainError('FORBIDDEN', `User ${user.email} no longer exists`);
  if (row.disabled_at !== null) throw disabled(user.email);
}

/** Adds a user or updates the name and role of an existing one: for the demo seed and tests (user-admin.ts adds users with its rules). */
export async function createUser(tx: Tx, input: { name: string; email: string; role: Role }): Promise<User> {
  const [row] = await tx.query<{ id: number; name: string; email: string; role: Role }>(
    `insert into users (name, email, role) values ($1, $2, $3)
     on conflict (email) do update set name = excluded.name, role = excluded.role
     returning id, name, email, role`,
    [input.name, input.email.toLowerCase(), input.role],
  );
  return row!;
}
