// `erp-mcp user …`: the operator manages users without SQL. Each change runs in one transaction
// together with its audit row (agent "cli", no acting user: the operator's command line), like a
// tool call; a refused change is audited in a transaction of its own. Passwords come only from
// stdin, never from argv (which other local users can read), and are never recorded.
import type { Command } from 'commander';
import type { Db, Tx } from './db/types.js';
import { migrate } from './db/migrate.js';
import { recordToolCall, refusedStatus, type CallStatus } from './domain/platform/audit.js';
import { setPassword } from './domain/platform/passwords.js';
import {
  addUser,
  disableUser,
  enableUser,
  getUserAccount,
  listUsers,
  setUserRole,
  type UserAccount,
} from './domain/platform/user-admin.js';
import { ROLES } from './domain/platform/users.js';
import { DomainError, fromDatabaseError } from './domain/shared/errors.js';
import { errorOutput } from './gate.js';
import { MAX_LIMIT } from './domain/shared/pagination.js';

export interface CliServices {
  /** Opens the database the global flags and environment name, runs fn, closes it. */
  withDb: <T>(command: Command, fn: (db: Db) => Promise<T>) => Promise<T>;
  say: (message: string) => void;
}

/** Runs one change with its audit row, or audits why it was refused and rethrows a one-line error. */
async function audited<T>(
  db: Db,
  name: string,
  input: Record<string, unknown>,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  const started = performance.now();
  const row = (output: unknown, status: CallStatus, code: string | null) => ({
    agent: 'cli',
    tool_name: name,
    input,
    output,
    status,
    error_code: code,
    duration_ms: performance.now() - started,
    user_id: null,
  });
  try {
    return await db.transaction(async (tx) => {
      const result = await work(tx);
      await recordToolCall(tx, row(result, 'ok', null));
      return result;
    });
  } catch (error) {
    const domain = error instanceof DomainError ? error : fromDatabaseError(error);
    if (!domain) throw error;
    await db.transaction((tx) =>
      recordToolCall(tx, row(errorOutput(domain.code, domain.message), refusedStatus(domain.code), domain.code)),
    );
    throw domain;
  }
}

/** The password piped to stdin, without the one line break that ends it. */
async function passwordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new DomainError(
      'INVALID_INPUT',
      '--password-stdin reads a pipe, not a terminal: e.g. read -rs PW && printf %s "$PW" | erp-mcp user password EMAIL --password-stdin',
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text.replace(/\r?\n$/, '');
}

const describe = (u: UserAccount) =>
  `${u.id}\t${u.email}\t${u.name}\t${u.role}\t${u.disabled_at ? `disabled ${u.disabled_at}` : 'active'}\t${u.has_password ? 'password set' : 'no password'}`;

export function addUserCommands(program: Command, { withDb, say }: CliServices): void {
  const user = program
    .command('user')
    .description('manage users and their roles (admins also can, with the admin tools)');
  const migrated = <T>(command: Command, fn: (db: Db) => Promise<T>) =>
    withDb(command, async (db) => {
      await migrate(db);
      return fn(db);
    });

  user
    .command('add')
    .description(`add a user; ROLE is one of ${ROLES.join(', ')}`)
    .argument('<email>', 'their e-mail (stored lowercase)')
    .requiredOption('--name <name>', 'their name')
    .requiredOption('--role <role>', 'their role')
    .option('--password-stdin', 'also set a password, read from stdin')
    .action(async (email: string, opts: { name: string; role: string; passwordStdin?: boolean }, command: Command) => {
      const password = opts.passwordStdin ? await passwordFromStdin() : undefined;
      const added = await migrated(command, (db) =>
        audited(
          db,
          'user add',
          { email, name: opts.name, role: opts.role, password_set: password !== undefined },
          async (tx) => {
            const account = await addUser(tx, { email, name: opts.name, role: opts.role });
            if (password === undefined) return account;
            await setPassword(tx, account.id, password);
            return getUserAccount(tx, { user_id: account.id });
          },
        ),
      );
      say(
        `User ${added.id} added: ${added.name} <${added.email}>, role ${added.role}${added.has_password ? ', password set' : ''}`,
      );
    });

  user
    .command('list')
    .description('list users (never their passwords)')
    .action(async (_opts, command: Command) => {
      const all = await migrated(command, async (db) => {
        const rows: UserAccount[] = [];
        let cursor: string | undefined;
        do {
          const page = await listUsers(db, { limit: MAX_LIMIT, cursor });
          rows.push(...page.items);
          cursor = page.next_cursor ?? undefined;
        } while (cursor);
        return rows;
      });
      for (const u of all) say(describe(u));
    });

  user
    .command('set-role')
    .description(`change a user's role (${ROLES.join(', ')}); the last active admin keeps theirs`)
    .argument('<email>', 'the user')
    .argument('<role>', 'the new role')
    .action(async (email: string, role: string, _opts, command: Command) => {
      const changed = await migrated(command, (db) =>
        audited(db, 'user set-role', { email, role }, (tx) => setUserRole(tx, { email }, role)),
      );
      say(`User ${changed.user.email}: role ${changed.user.role} (was ${changed.previous_role})`);
    });

  user
    .command('disable')
    .description('disable a user: revoke their tokens and refuse their requests from now on')
    .argument('<email>', 'the user')
    .option('--reason <text>', 'why, for the audit log')
    .action(async (email: string, opts: { reason?: string }, command: Command) => {
      const done = await migrated(command, (db) =>
        audited(db, 'user disable', { email, reason: opts.reason }, (tx) => disableUser(tx, { email })),
      );
      say(`User ${done.user.email} disabled; ${done.sessions_ended} token(s) revoked`);
    });

  user
    .command('enable')
    .description('enable a disabled user (their old tokens stay revoked: create new ones)')
    .argument('<email>', 'the user')
    .action(async (email: string, _opts, command: Command) => {
      const enabled = await migrated(command, (db) =>
        audited(db, 'user enable', { email }, (tx) => enableUser(tx, { email })),
      );
      say(`User ${enabled.email} enabled; create a token with: erp-mcp token create --user ${enabled.email}`);
    });

  user
    .command('password')
    .description("set a user's password, read from stdin (at least 12 characters)")
    .argument('<email>', 'the user')
    .requiredOption('--password-stdin', 'read the password from stdin (the only way: never on the command line)')
    .action(async (email: string, _opts, command: Command) => {
      const password = await passwordFromStdin();
      const done = await migrated(command, (db) =>
        audited(db, 'user password', { email }, async (tx) =>
          setPassword(tx, (await getUserAccount(tx, { email })).id, password),
        ),
      );
      say(`Password of ${email.trim().toLowerCase()} set at ${done.password_changed_at}`);
    });
}
