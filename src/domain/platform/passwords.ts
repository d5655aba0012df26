// Passwords: node's scrypt with a random salt per user, stored as scrypt$N$r$p$salt$hash so that
// the cost can be raised later without breaking stored hashes; compared in constant time. No
// crypto of our own beyond calling node:crypto.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Tx } from '../../db/types.js';
import { invalid, notFound } from '../shared/errors.js';
import type { User } from './users.js';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

// OWASP's scrypt floor is N=2^17, r=8, p=1; 2^15 keeps a login near 50 ms on a small shared host
// (the embedded database's machine) while a stored hash still costs an attacker 32 MiB a guess.
const COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Bounds for parameters read back from a row, so a tampered hash cannot make a login hang. */
const MAX_N = 2 ** 20;

function derive(password: string, salt: Buffer, N: number, r: number, p: number, keyBytes: number): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; node's default ceiling (32 MiB) is exactly that at our cost.
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keyBytes, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export function checkPasswordRules(password: string): void {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH)
    throw invalid(`password must be at least ${PASSWORD_MIN_LENGTH} characters (it has ${length})`);
  if (length > PASSWORD_MAX_LENGTH) throw invalid(`password must be at most ${PASSWORD_MAX_LENGTH} characters`);
}

export async function hashPassword(password: string): Promise<string> {
  checkPasswordRules(password);
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, COST.N, COST.r, COST.p, KEY_BYTES);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether password matches a stored hash; false for anything that is not one of ours. */
export async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  const sane =
    Number.isInteger(N) &&
    N > 1 &&
    N <= MAX_N &&
    (N & (N - 1)) === 0 &&
    Number.isInteger(r) &&
    r >= 1 &&
    r <= 32 &&
    Number.isInteger(p) &&
    p >= 1 &&
    p <= 16 &&
    salt.length >= 8 &&
    expected.length >= 16 &&
    expected.length <= 64;
  if (!sane || [...password].length > PASSWORD_MAX_LENGTH) return false;
  const key = await derive(password, salt, N, r, p, expected.length);
  return timingSafeEqual(key, expected);
}

/** Sets (or replaces) a user's password; their API tokens stay valid (they are separate credentials). */
export async function setPassword(
  tx: Tx,
  userId: number,
  password: string,
): Promise<{ user_id: number; password_changed_at: string }> {
  const hash = await hashPassword(password);
  const [row] = await tx.query<{ id: number; password_changed_at: string }>(
    'update users set password_hash = $2, password_changed_at = now() where id = $1 returning id, password_changed_at',
    [userId, hash],
  );
  if (!row) throw notFound('User', userId);
  return { user_id: row.id, password_changed_at: row.password_changed_at };
}

// An unknown e-mail costs as much as a wrong password, so timing does not tell which users exist.
let decoy: Promise<string> | undefined;
const decoyHash = () => (decoy ??= hashPassword(randomBytes(18).toString('base64url')));

/** The user when the password is theirs and they are active; undefined otherwise, whatever the reason. */
export async function verifyPassword(tx: Tx, email: string, password: string): Promise<User | undefined> {
  const [row] = await tx.query<User & { password_hash: string | null; disabled_at: string | null }>(
    'select id, name, email, role, password_hash, disabled_at from users where email = $1',
    [email.trim().toLowerCase()],
  );
  const matches = await passwordMatches(password, row?.password_hash ?? (await decoyHash()));
  if (!row || row.password_hash === null || row.disabled_at !== null || !matches) return undefined;
  return { id: row.id, name: row.name, email: row.email, role: row.role };
}
