// API tokens for HTTP clients: random, shown once, stored only as a SHA-256 hash, revocable.
import { createHash, randomBytes } from 'node:crypto';
import type { Tx } from '../../db/types.js';
import { notFound } from '../shared/errors.js';
import type { User } from './users.js';

const PREFIX = 'erp_';
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
/** Whether a bearer token is one of ours by its form (it may still be unknown or revoked). */
export const isApiToken = (token: string) => token.startsWith(PREFIX);

export interface TokenInfo {
  id: number;
  user_id: number;
  email: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export async function createToken(tx: Tx, userId: number, name: string): Promise<{ id: number; token: string }> {
  const token = PREFIX + randomBytes(32).toString('base64url');
  const [row] = await tx.query<{ id: number }>(
    'insert into api_tokens (user_id, name, token_hash) values ($1, $2, $3) returning id',
    [userId, name, hashToken(token)],
  );
  return { id: row!.id, token };
}

/**
 * The user behind a live token, or undefined; marks the token used (at most once a minute). A
 * disabled user's tokens are revoked when they are disabled; this refuses them anyway.
 */
export async function userForToken(tx: Tx, token: string): Promise<User | undefined> {
  if (!token.startsWith(PREFIX) || token.length > 200) return undefined;
  const [row] = await tx.query<User & { token_id: number; stale: boolean }>(
    `select u.id, u.name, u.email, u.role, t.id as token_id, (t.last_used_at is null or t.last_used_at < now() - interval '1 minute') as stale
     from api_tokens t join users u on u.id = t.user_id where t.token_hash = $1 and t.revoked_at is null and u.disabled_at is null`,
    [hashToken(token)],
  );
  if (!row) return undefined;
  if (row.stale) await tx.query('update api_tokens set last_used_at = now() where id = $1', [row.token_id]);
  return { id: row.id, name: row.name, email: row.email, role: row.role };
}

export async function listTokens(tx: Tx): Promise<TokenInfo[]> {
  return tx.query<TokenInfo>(
    `select t.id, t.user_id, u.email, t.name, t.created_at, t.last_used_at, t.revoked_at from api_tokens t join users u on u.id = t.user_id order by t.id`,
  );
}

export async function revokeToken(tx: Tx, id: number): Promise<void> {
  const rows = await tx.query(
    'update api_tokens set revoked_at = coalesce(revoked_at, now()) where id = $1 returning id',
    [id],
  );
  if (rows.length === 0) throw notFound('Token', id);
}
