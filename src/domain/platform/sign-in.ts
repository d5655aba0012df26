// Signing in with an e-mail address and a password (the built-in authorization server's page),
// with the lockout that bounds guessing: failures are counted per e-mail address and per client
// IP in the database, so every instance agrees, and a locked subject is refused without the
// password being checked at all. Every attempt is audited (agent 'oauth'), never the password.
import type { Tx } from '../../db/types.js';
import { recordToolCall } from './audit.js';
import { verifyPassword } from './passwords.js';
import type { User } from './users.js';

/** Failures within the window that lock the subject, and for how long. */
export const LOCKOUT = {
  emailFailures: 5,
  // An office behind one NAT address shares an IP: it gets more room than a single address.
  ipFailures: 20,
  windowMinutes: 15,
  lockMinutes: 15,
} as const;

export type SignInResult =
  | { ok: true; user: User }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; retry_after_minutes: number };

interface FailureRow {
  subject: string;
  failures: number;
  window_open: boolean;
  locked_minutes: number | null;
}

const subjectsOf = (email: string, ip: string) =>
  [`email:${email.trim().toLowerCase().slice(0, 320)}`, `ip:${ip}`].sort();

/**
 * Locks the subjects' rows (made if missing) in a fixed order, so concurrent attempts for one
 * address queue behind each other instead of each passing the check.
 */
async function lockSubjects(tx: Tx, subjects: string[]): Promise<FailureRow[]> {
  await tx.query('insert into sign_in_failures (subject) select unnest($1::text[]) on conflict (subject) do nothing', [
    subjects,
  ]);
  return tx.query<FailureRow>(
    `select subject, failures, first_failed_at > now() - make_interval(mins => $2::int) as window_open,
            case when locked_until > now() then ceil(extract(epoch from locked_until - now()) / 60)::int end as locked_minutes
     from sign_in_failures where subject = any($1::text[]) order by subject for update`,
    [subjects, LOCKOUT.windowMinutes],
  );
}

async function countFailure(tx: Tx, rows: FailureRow[]): Promise<void> {
  for (const row of rows) {
    const failures = row.window_open ? row.failures + 1 : 1;
    const limit = row.subject.startsWith('email:') ? LOCKOUT.emailFailures : LOCKOUT.ipFailures;
    await tx.query(
      `update sign_in_failures set failures = $2::int,
         first_failed_at = case when $3::boolean then first_failed_at else now() end,
         locked_until = case when $2::int >= $4::int then now() + make_interval(mins => $5::int) else locked_until end
       where subject = $1`,
      [row.subject, failures, row.window_open, limit, LOCKOUT.lockMinutes],
    );
  }
}

export interface SignInAttempt {
  email: string;
  password: string;
  /** The client's IP address as the HTTP server sees it (behind a proxy: ERP_HTTP_TRUST_PROXY). */
  ip: string;
  /** The OAuth client the sign-in is for, for the audit row. */
  client_id: string;
}

/** One sign-in attempt, in the caller's transaction: the user, a refusal, or a lockout. */
export async function signIn(tx: Tx, attempt: SignInAttempt): Promise<SignInResult> {
  const started = Date.now();
  const email = attempt.email.trim().toLowerCase();
  const rows = await lockSubjects(tx, subjectsOf(email, attempt.ip));
  const audit = (status: 'ok' | 'denied', code: string | null, user: User | undefined, output: unknown) =>
    recordToolCall(tx, {
      agent: 'oauth',
      tool_name: 'sign_in',
      input: { email: email.slice(0, 320), ip: attempt.ip, client_id: attempt.client_id.slice(0, 500) },
      output,
      status,
      error_code: code,
      duration_ms: Date.now() - started,
      user_id: user?.id ?? null,
    });
  const locked = Math.max(0, ...rows.map((r) => r.locked_minutes ?? 0));
  if (locked > 0) {
    await audit('denied', 'LOCKED_OUT', undefined, {
      result: 'locked',
      locked_subjects: rows.filter((r) => r.locked_minutes).map((r) => r.subject.split(':')[0]),
    });
    return { ok: false, reason: 'locked', retry_after_minutes: locked };
  }
  const user = await verifyPassword(tx, email, attempt.password);
  if (!user) {
    await countFailure(tx, rows);
    await audit('denied', 'INVALID_CREDENTIALS', undefined, { result: 'wrong e-mail, password, or a disabled user' });
    return { ok: false, reason: 'invalid' };
  }
  // A success forgives the address's failures; the IP's keep counting down with their window.
  await tx.query('update sign_in_failures set failures = 0, locked_until = null where subject = $1', [
    rows.find((r) => r.subject.startsWith('email:'))!.subject,
  ]);
  await audit('ok', null, user, { result: 'signed in' });
  return { ok: true, user };
}

/** The active user with this id: who a sign-in session or grant still belongs to. */
export async function findActiveUserById(tx: Tx, id: number): Promise<User | undefined> {
  const [row] = await tx.query<User>('select id, name, email, role from users where id = $1 and disabled_at is null', [
    id,
  ]);
  return row;
}
