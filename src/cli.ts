#!/usr/bin/env node
// The erp-mcp command: serve MCP over stdio, migrate the database, load demo data.
import { readFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { serveStdio, StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { clientEnv, loadConfig, type Config, type ConfigFlags } from './config.js';
import { openDb } from './db/index.js';
import { backup, checkBackup, restore } from './db/backup.js';
import { migrate } from './db/migrate.js';
import { checkBooks } from './domain/finance/checks.js';
import { verifyAuditLog } from './domain/platform/audit.js';
import type { Db } from './db/types.js';
import { seedDemo, seedDemoDocuments, type DemoCounts } from './demo/seed.js';
import { requireUserByEmail } from './domain/platform/users.js';
import { DomainError, isConnectionLost } from './domain/shared/errors.js';
import { createToken, listTokens, revokeToken } from './domain/platform/tokens.js';
import { describeDatabase, explainStartupError, healthChecks } from './health.js';
import { checkedLines, type RpcError } from './jsonrpc.js';
import { createMcpServer } from './server.js';
import { createEmbedder } from './rag/embedder.js';
import { DEFAULT_READ_LIMITS } from './rag/files.js';
import { collectFiles, ingestFiles } from './rag/folder.js';
import type { RagServices } from './tools/define.js';
import { addUserCommands } from './user-commands.js';

// stdout belongs to the MCP protocol; everything human goes to stderr.
const say = (message: string) => process.stderr.write(`${message}\n`);
const logError = (message: string, error?: unknown) =>
  say(
    `erp-mcp: ${message}${error ? `: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` : ''}`,
  );

/**
 * A server outlives its database connections. postgres.js can reject a promise nobody holds when a
 * connection dies mid-pipeline (see patches/postgres+3.4.9.patch for the crash it also had); such a
 * loss changed nothing (the transaction did not commit), so it is logged, at most once a second.
 * Any other unhandled rejection is a bug and ends the process as Node would.
 */
function surviveLostConnections(): void {
  let lastLogged = 0;
  process.on('unhandledRejection', (reason) => {
    if (!isConnectionLost(reason)) {
      logError('unhandled rejection', reason);
      process.exit(1);
    }
    if (Date.now() - lastLogged > 1000)
      logError(`a database connection was lost (${(reason as { code?: string }).code}); later calls reconnect`);
    lastLogged = Date.now();
  });
}

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** Started by hand in a terminal: say how an MCP client should start it instead. */
function connectionHint(cfg: Config): string {
  const entry = { command: process.execPath, args: [fileURLToPath(import.meta.url), 'stdio'], env: clientEnv(cfg) };
  return [
    'This server speaks MCP on stdin/stdout; an MCP client starts it. For Claude Desktop, add to claude_desktop_config.json:',
    JSON.stringify({ mcpServers: { erp: entry } }, null, 2),
    cfg.databaseUrl
      ? 'Clients may start their own copies while this one runs: they all use the PostgreSQL database in DATABASE_URL.'
      : 'Clients may start their own copies while this one runs: every erp-mcp process on one data dir shares its database.',
  ].join('\n');
}

const describeCounts = (c: DemoCounts) =>
  `${c.customers} customers, ${c.products} products, ${c.suppliers} suppliers, ${c.users} users, ${c.orders} orders, ${c.invoices} invoices`;

function config(command: Command): Config {
  return loadConfig(process.env, command.optsWithGlobals<ConfigFlags>());
}

/** Document search services; the model loads on first use, so start-up stays fast. */
function ragServices(cfg: Config): RagServices {
  return {
    embedder: createEmbedder({ modelDir: cfg.modelDir, model: cfg.embedModel }),
    docsRoot: cfg.docsDir,
    dataDir: cfg.dataDir,
  };
}

async function withDb<T>(cfg: Config, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDb(cfg);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const program = new Command()
  .name('erp-mcp')
  .description('An audited MCP server for a small-business ERP (CRM, orders, stock, invoices, ledger).')
  .version(version)
  .option('--data-dir <dir>', 'embedded database directory (env ERP_DATA_DIR, default ./.erp-data)')
  .option('--database-url <url>', 'PostgreSQL URL instead of the embedded database (env DATABASE_URL)')
  .showHelpAfterError();

program
  .command('stdio')
  .description('serve MCP over stdin/stdout (what Claude Desktop, Claude Code, Cursor and VS Code start)')
  .option('--toolsets <list>', 'comma-separated toolsets or "all" (env ERP_TOOLSETS)')
  .option(
    '--tools <mode>',
    'full lists every tool; discover lists whoami, find_operation and call_operation, which runs any tool (env ERP_TOOL_MODE, default full)',
  )
  .option('--user <email>', 'acting user (env ERP_USER, default admin@erp.local)')
  .action(async (_opts, command: Command) => {
    const cfg = config(command);
    surviveLostConnections();
    const db = await openDb(cfg);
    await migrate(db);
    const user = await requireUserByEmail(db, cfg.user);
    const rag = ragServices(cfg);
    const reply = (error: RpcError) => process.stdout.write(`${JSON.stringify(error)}\n`);
    // serveStdio serves protocol 2026-07-28 and the 2025 revisions: the opening message picks the
    // connection's era, and the factory builds the server for it (once more for a discarded probe).
    const served = serveStdio(
      () => createMcpServer({ db, user, toolsets: cfg.toolsets, toolMode: cfg.toolMode, rag, log: logError }),
      {
        transport: new StdioServerTransport(checkedLines(process.stdin, reply), process.stdout),
        onerror: (error) => logError('stdio transport error', error),
      },
    );
    let closing = false;
    const shutdown = async () => {
      if (closing) return;
      closing = true;
      await served.close().catch(() => {});
      await db.close().catch(() => {});
      process.exit(0);
    };
    process.stdin.on('end', () => void shutdown());
    process.on('SIGINT', () => void shutdown());
    process.on('SIGTERM', () => void shutdown());
    say(
      `erp-mcp: serving ${cfg.toolsets.join(', ')}${cfg.toolMode === 'discover' ? ' (discover mode: tools/list offers find_operation and call_operation)' : ''} over stdio as ${user.email} (${user.role}) on ${describeDatabase(cfg)}`,
    );
    if (process.stdin.isTTY) say(connectionHint(cfg));
  });

program
  .command('http')
  .description('serve MCP over Streamable HTTP at POST /mcp (bearer tokens; health at GET /healthz)')
  .option('--host <host>', 'interface to bind (env ERP_HTTP_HOST, default 127.0.0.1)')
  .option('--port <port>', 'port (env ERP_HTTP_PORT, default 3000)')
  .option('--toolsets <list>', 'comma-separated toolsets or "all" (env ERP_TOOLSETS)')
  .option(
    '--tools <mode>',
    'full lists every tool; discover lists whoami, find_operation and call_operation, which runs any tool (env ERP_TOOL_MODE, default full)',
  )
  .action(async (_opts, command: Command) => {
    const cfg = config(command);
    surviveLostConnections();
    const db = await openDb(cfg);
    await migrate(db);
    const { startHttpServer } = await import('./http.js'); // Express loads only for this command
    const server = await startHttpServer({
      db,
      host: cfg.httpHost,
      port: cfg.httpPort,
      toolsets: cfg.toolsets,
      toolMode: cfg.toolMode,
      rag: ragServices(cfg),
      allowedHosts: cfg.httpAllowedHosts,
      allowedOrigins: cfg.httpAllowedOrigins,
      log: logError,
      publicUrl: cfg.publicUrl,
      trustProxy: cfg.httpTrustProxy,
      oauth: {
        issuer: cfg.oauthIssuer,
        emailClaim: cfg.oauthEmailClaim,
        builtin: cfg.oauthBuiltin
          ? { accessTokenTtl: cfg.oauthAccessTokenTtl, refreshTokenTtl: cfg.oauthRefreshTokenTtl }
          : undefined,
      },
    });
    const shutdown = async () => {
      await server.close();
      await db.close();
      process.exit(0);
    };
    process.on('SIGINT', () => void shutdown());
    process.on('SIGTERM', () => void shutdown());
    say(
      `erp-mcp: serving MCP at ${server.url} (health: ${server.url.replace(/\/mcp$/, '/healthz')}) on ${describeDatabase(cfg)}`,
    );
    const resource = new URL('/mcp', cfg.publicUrl ?? server.url).href;
    if (cfg.oauthIssuer)
      say(`erp-mcp: accepting API tokens and access tokens from ${cfg.oauthIssuer} issued for ${resource}`);
    if (cfg.oauthBuiltin)
      say(
        `erp-mcp: users sign in at ${new URL('/oauth', resource).href} (set a password with "erp-mcp user password EMAIL --password-stdin"; ERP_OAUTH=off turns it off)`,
      );
  });

const token = program.command('token').description('manage bearer tokens for the HTTP transport');

token
  .command('create')
  .description('create a token for a user; the token is printed once, as the last line')
  .requiredOption('--user <email>', 'the user the token acts as')
  .option('--name <name>', 'a label, e.g. the laptop or service using it', '')
  .action(async (opts: { user: string; name: string }, command: Command) => {
    const cfg = config(command);
    const created = await withDb(cfg, async (db) => {
      await migrate(db);
      return db.transaction(async (tx) => createToken(tx, (await requireUserByEmail(tx, opts.user)).id, opts.name));
    });
    say(`Token ${created.id} for ${opts.user}; keep it secret, it is not shown again:`);
    process.stdout.write(`${created.token}\n`);
  });

token
  .command('list')
  .description('list tokens (never the secrets)')
  .action(async (_opts, command: Command) => {
    const tokens = await withDb(config(command), (db) => listTokens(db));
    for (const t of tokens)
      say(
        `${t.id}\t${t.email}\t${t.name || '-'}\t${t.revoked_at ? `revoked ${t.revoked_at}` : `last used ${t.last_used_at ?? 'never'}`}`,
      );
    if (tokens.length === 0) say('No tokens yet: erp-mcp token create --user EMAIL');
  });

token
  .command('revoke')
  .description('revoke a token by id')
  .argument('<id>', 'token id from "token list"')
  .action(async (id: string, _opts, command: Command) => {
    await withDb(config(command), (db) => db.transaction((tx) => revokeToken(tx, Number(id))));
    say(`Token ${id} revoked`);
  });

addUserCommands(program, { withDb: (command, fn) => withDb(config(command), fn), say });

program
  .command('ingest')
  .description(
    'index Markdown, text and PDF files under ERP_DOCS_DIR (folders are searched recursively) for search_documents',
  )
  .argument('<paths...>', 'files or folders')
  .option('--module <module>', 'module for every file (default: each file\'s first folder, or "general")')
  .option('--tags <tags>', 'comma-separated tags for every file')
  .option(
    '--max-size <MiB>',
    `largest file to read, in MiB (default ${DEFAULT_READ_LIMITS.maxBytes / 2 ** 20}, as ingest_document); Markdown and text are read in parts, so memory does not grow with it`,
  )
  .action(async (paths: string[], opts: { module?: string; tags?: string; maxSize?: string }, command: Command) => {
    const maxMiB = opts.maxSize === undefined ? undefined : Number(opts.maxSize);
    if (maxMiB !== undefined && !(maxMiB > 0))
      throw new DomainError('INVALID_INPUT', `--max-size must be a positive number of MiB, not ${opts.maxSize}`);
    const cfg = config(command);
    const files = await collectFiles(paths, cfg.dataDir);
    if (files.length === 0)
      throw new DomainError('NOT_FOUND', `No Markdown, text or PDF files under ${paths.join(', ')}`);
    const { Presets, SingleBar } = await import('cli-progress');
    const bar = new SingleBar(
      { format: 'ingest [{bar}] {value}/{total} {file}', hideCursor: true, stream: process.stderr },
      Presets.shades_classic,
    );
    const totals = await withDb(cfg, async (db) => {
      await migrate(db);
      bar.start(files.length, 0, { file: '' });
      const failures: string[] = [];
      const result = await ingestFiles(db, ragServices(cfg).embedder, files, {
        root: cfg.docsDir,
        dataDir: cfg.dataDir,
        module: opts.module,
        limits: maxMiB === undefined ? undefined : { ...DEFAULT_READ_LIMITS, maxBytes: Math.floor(maxMiB * 2 ** 20) },
        tags: opts.tags
          ?.split(',')
          .map((t) => t.trim())
          .filter(Boolean),
        onFile: (file, outcome) => {
          if (outcome instanceof Error) failures.push(`${file}: ${outcome.message}`);
          bar.increment({ file: file.split('/').pop() });
        },
      });
      bar.stop();
      for (const f of failures) say(`failed: ${f}`);
      return result;
    });
    say(`Ingested ${totals.ingested}, unchanged ${totals.skipped}, failed ${totals.failed}`);
    if (totals.failed) process.exitCode = 1;
  });

program
  .command('health')
  .description('check the database, pgvector, migrations and the embedding model, and say what to fix')
  .action(async (_opts, command: Command) => {
    const checks = await healthChecks(config(command));
    for (const c of checks) say(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
    if (checks.some((c) => !c.ok)) process.exitCode = 1;
  });

program
  .command('backup <file>')
  .description('write a consistent backup of the embedded database to FILE while servers keep running')
  .action(async (file: string, _opts, command: Command) => {
    const cfg = config(command);
    if (cfg.databaseUrl)
      throw new DomainError(
        'INVALID_INPUT',
        'erp-mcp backup is for the embedded database; on PostgreSQL use pg_dump (see README)',
      );
    const done = await withDb(cfg, (db) => backup(db, resolve(file)));
    say(`Backed up ${done.rows} rows of ${done.tables} tables from ${cfg.dataDir} to ${resolve(file)}`);
  });

program
  .command('restore <file>')
  .description('restore a backup into a new embedded data dir (--data-dir), then verify the audit chain and the books')
  .action(async (file: string, _opts, command: Command) => {
    const cfg = config(command);
    if (cfg.databaseUrl)
      throw new DomainError(
        'INVALID_INPUT',
        'erp-mcp restore writes an embedded data dir; on PostgreSQL use pg_restore (see README)',
      );
    if ((await readdir(cfg.dataDir).catch(() => [])).length > 0) {
      throw new DomainError(
        'INVALID_INPUT',
        `${cfg.dataDir} is not empty: restore into a new folder (--data-dir), then point ERP_DATA_DIR at it`,
      );
    }
    await checkBackup(resolve(file));
    try {
      await withDb(cfg, async (db) => {
        await migrate(db);
        const done = await restore(db, resolve(file));
        const [audit, books] = await db.transaction(
          async (tx) => [await verifyAuditLog(tx), await checkBooks(tx)] as const,
        );
        say(
          `Restored ${done.rows} rows of ${done.tables} tables into ${cfg.dataDir}; audit log ${audit.ok ? 'verified' : `BROKEN: ${audit.problem}`}; ` +
            `books ${
              books.ok
                ? 'balanced'
                : `FAIL: ${books.checks
                    .filter((c) => !c.ok)
                    .map((c) => c.name)
                    .join(', ')}`
            }`,
        );
        if (!audit.ok || !books.ok) process.exitCode = 1;
      });
    } catch (error) {
      await rm(cfg.dataDir, { recursive: true, force: true }); // it was empty: leave nothing half-restored
      throw error;
    }
  });

program
  .command('migrate')
  .description('apply pending database migrations (idempotent)')
  .action(async (_opts, command: Command) => {
    const cfg = config(command);
    const result = await withDb(cfg, migrate);
    say(result.applied.length ? `Applied ${result.applied.join(', ')}` : 'Database is up to date');
  });

program
  .command('seed')
  .description('load data into the database')
  .requiredOption('--demo', 'the demo company: customers, products, suppliers and stock')
  .action(async (_opts, command: Command) => {
    const cfg = config(command);
    await withDb(cfg, async (db) => {
      await migrate(db);
      const result = await seedDemo(db);
      say(
        result.seeded
          ? `Demo company loaded: ${describeCounts(result.added)} added to ${describeDatabase(cfg)}`
          : `Demo company already loaded (since ${result.seededAt}) and left as it is: ${describeDatabase(cfg)} holds ${describeCounts(result.present)}`,
      );
      try {
        const docs = await seedDemoDocuments(db, ragServices(cfg).embedder);
        say(
          `Demo documents: ${docs.ingested} indexed, ${docs.skipped} unchanged${docs.failed ? `, ${docs.failed} failed` : ''}`,
        );
      } catch (error) {
        // No model (offline, no ERP_MODEL_DIR): the ERP works; only document search waits for a model.
        say(
          `Demo documents not indexed: ${error instanceof Error ? error.message : String(error)}. Run "erp-mcp seed --demo" again once the model loads ("erp-mcp health" checks it)`,
        );
      }
    });
  });

try {
  // No command = help (DESIGN.md), on stdout with exit 0 like `erp-mcp help`.
  await program.parseAsync(process.argv.length > 2 ? process.argv : [...process.argv, 'help']);
} catch (error) {
  const known =
    error instanceof DomainError
      ? error.message
      : error instanceof Error && error.name === 'ConfigError'
        ? `configuration error: ${error.message}`
        : error instanceof Error && error.name === 'BackupError'
          ? error.message
          : explainStartupError(error, safeConfig(program));
  if (known) say(`erp-mcp: ${known}`);
  else logError('failed', error);
  process.exit(1);
}

function safeConfig(command: Command): Config {
  try {
    return loadConfig(process.env, command.opts<ConfigFlags>());
  } catch {
    return loadConfig({});
  }
}
