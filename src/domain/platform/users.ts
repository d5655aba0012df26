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

export async function findUserByEmail(tx: Tx, email: string): Promise<User | undefined> {
  const [row] = await tx.query<{ id: number; name: string; email: string; role: Role }>(
    'select id, name, email, role from users where email = $1',
    [email.trim().toLowerCase()],
  );
  return row;
}

export async function requireUserByEmail(tx: Tx, email: string): Promise<User> {
  const user = await findUserByEmail(tx, email);
  if (!user) throw new DomainError('NOT_FOUND', `No user with e-mail ${email}; run "erp-mcp seed --demo" or set ERP_USER to an existing user`);
  return user;
}

export async function createUser(tx: Tx, input: { name: string; email: string; role: Role }): Promise<User> {
  const [row] = await tx.query<{ id: number; name: string; email: string; role: Role }>(
    `insert into users (name, email, role) values ($1, $2, $3)
     on conflict (email) do update set name = excluded.name, role = excluded.role
     returning id, name, email, role`,
    [input.name, input.email.toLowerCase(), input.role],
  );
  return row!;
}
