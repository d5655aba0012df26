// Backup and restore of the embedded database while servers run. A backup is every row of every
// table of schema public, read in one transaction (one consistent snapshot, through the owner or
// as a guest over its socket), each row as PostgreSQL's own composite text so every type
// round-trips exactly. Restore migrates a new data dir to the same migrations and loads the rows
// with triggers off (they were valid when read), then moves each identity past its largest id.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { listMigrations } from './migrate.js';
import type { Db, Tx } from './types.js';

const FORMAT = 'erp-mcp-backup/1';

/** A backup or restore that cannot go ahead, for a reason the person running it can fix. */
export class BackupError extends Error {
  override name = 'BackupError';
}
const BATCH = 500;

interface Header {
  format: string;
  created_at: string;
  migrations: string[];
  tables: string[];
}
interface Column {
  name: string;
  generated: boolean;
  identity: boolean;
}

async function tablesOf(tx: Tx): Promise<string[]> {
  const rows = await tx.query<{ name: string }>(`select c.relname as name from pg_class c
    where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' order by c.relname`);
  return rows.map((r) => r.name);
}

async function columnsOf(tx: Tx, table: string): Promise<Column[]> {
  return tx.query<Column>(
    `select attname as name, attgenerated <> '' as generated, attidentity <> '' as identity
    from pg_attribute where attrelid = format('public.%I', $1::text)::regclass and attnum > 0 and not attisdropped order by attnum`,
    [table],
  );
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Writes one line of JSON per batch of rows: {table, rows: [composite text, …]}. */
export async function backup(db: Db, file: string): Promise<{ tables: number; rows: number }> {
  const handle = await open(file, 'wx').catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EEXIST'
      ? new BackupError(`${file} already exists: a backup never overwrites another; choose a new name`)
      : error;
  });
  const out = handle.createWriteStream();
  let rows = 0;
  const write = async (line: unknown) => {
    if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
  };
  const tables = await db.transaction(async (tx) => {
    await tx.query('set transaction isolation level repeatable read');
    const names = await tablesOf(tx);
    await write({
      format: FORMAT,
      created_at: new Date().toISOString(),
      migrations: await listMigrations(),
      tables: names,
    } satisfies Header);
    for (const table of names) {
      for (let offset = 0; ; offset += BATCH) {
        const batch = await tx.query<{ r: string }>(
          `select t::text as r from public.${ident(table)} t order by ctid offset $1 limit $2`,
          [offset, BATCH],
        );
        if (batch.length) await write({ table, rows: batch.map((b) => b.r) });
        rows += batch.length;
        if (batch.length < BATCH) break;
      }
    }
    return names.length;
  });
  out.end();
  await once(out, 'finish');
  return { tables, rows };
}

/** Loads a backup into a database just migrated to the backup's migrations (a new data dir). */
export async function restore(db: Db, file: string): Promise<{ tables: number; rows: number }> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let header: Header | undefined;
  let rows = 0;
  await db.transaction(async (tx) => {
    // Rows were valid together when read; foreign keys and constraint triggers would check them
    // one by one, in an order they were not written in.
    await tx.query("set local session_replication_role = 'replica'");
    const columns = new Map<string, Column[]>();
    for await (const line of lines) {
      if (!line.trim()) continue;
      const entry = JSON.parse(line) as Header | { table: string; rows: string[] };
      if (!header) {
        header = checkHeader(entry as Header, await listMigrations());
        for (const table of header.tables) await tx.query(`delete from public.${ident(table)}`); // migrations seed some rows
        continue;
      }
      const { table, rows: batch } = entry as { table: string; rows: string[] };
      if (!header.tables.includes(table)) throw new BackupError(`The backup has rows for an unknown table ${table}`);
      if (!columns.has(table))
        columns.set(
          table,
          (await columnsOf(tx, table)).filter((c) => !c.generated),
        );
      const cols = columns.get(table)!;
      await tx.query(
        `insert into public.${ident(table)} (${cols.map((c) => ident(c.name)).join(', ')}) overriding system value
        select ${cols.map((c) => `(r).${ident(c.name)}`).join(', ')} from (select x::public.${ident(table)} as r from unnest($1::text[]) x) s`,
        [batch],
      );
      rows += batch.length;
    }
    if (!header) throw new BackupError(`${file} is empty: not an erp-mcp backup`);
    for (const table of header.tables) {
      for (const c of await columnsOf(tx, table)) {
        if (!c.identity) continue;
        await tx.query(
          `select setval(pg_get_serial_sequence($1, $2), greatest(coalesce((select max(${ident(c.name)}) from public.${ident(table)}), 0), 1),
          (select count(*) > 0 from public.${ident(table)}))`,
          [`public.${table}`, c.name],
        );
      }
    }
  });
  return { tables: header!.tables.length, rows };
}

/** Reads and checks a backup's first line, before anything is written anywhere. */
export async function checkBackup(file: string): Promise<Header> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      let header: Header;
      try {
        header = JSON.parse(line) as Header;
      } catch {
        throw new BackupError(`${file} is not an erp-mcp backup (its first line is not JSON)`);
      }
      return checkHeader(header, await listMigrations());
    }
    throw new BackupError(`${file} is empty: not an erp-mcp backup`);
  } finally {
    lines.close();
  }
}

/** Rows are restored into the schema they were read from: the same migrations, no more, no less. */
function checkHeader(header: Header, ours: string[]): Header {
  if (header.format !== FORMAT)
    throw new BackupError(`Not an erp-mcp backup (format ${JSON.stringify(header.format)}; expected ${FORMAT})`);
  const theirs = header.migrations.join(', ');
  if (theirs !== ours.join(', ')) {
    throw new BackupError(
      `The backup was made at migrations ${header.migrations.at(-1)} and this erp-mcp is at ${ours.at(-1)}: ` +
        'restore it with the erp-mcp version that made it, then upgrade (erp-mcp migrate)',
    );
  }
  return header;
}
