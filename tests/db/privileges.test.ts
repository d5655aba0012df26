// The server needs no superuser on PostgreSQL: migrations run as the owner after a superuser's
// one-time setup (sql/superuser.sql), and the server's role owns nothing and may not change the schema.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrate, sqlDir } from '../../src/db/migrate.js';
import { openPostgres } from '../../src/db/postgres.js';
import { describePostgres, freshDb, type TestDb } from '../helpers/db.js';
import { OWNER_ROLE, withDatabase, withRole } from '../helpers/global-setup.js';

describePostgres('database roles on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await freshDb(kind);
  });
  afterAll(async () => {
    await db.close();
  });

  it('serves as a role that is not a superuser, owns no table and cannot take an advisory lock', async () => {
    const [me] = await db.query<{ superuser: boolean; owned: number }>(`select r.rolsuper as superuser,
      (select count(*)::int from pg_class c where c.relowner = r.oid) as owned from pg_roles r where r.rolname = current_user`);
    expect(me).toEqual({ superuser: false, owned: 0 });
    await expect(db.query('select pg_advisory_lock(4200002)')).rejects.toThrow(
      /permission denied for function pg_advisory_lock/,
    );
    await expect(db.query('delete from tool_calls')).rejects.toThrow(/permission denied/);
  });

  it("grants PUBLIC no function of ours: each is the server role's alone (trigger functions run only as triggers)", async () => {
    const open = await db.owner.query<{ fn: string }>(
      `select p.oid::regprocedure::text as fn from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'public' and p.prorettype <> 'trigger'::regtype
         and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
         and (p.proacl is null or exists (select 1 from aclexplode(p.proacl) a where a.grantee = 0))`,
    );
    expect(open).toEqual([]);
  });

  it('may not build an index of its own choosing: only registering a model makes one (sql/014)', async () => {
    await expect(db.query('select erp_create_model_index(999, 3)')).rejects.toThrow(/permission denied/);
    await expect(db.query('create index on document_chunks (id)')).rejects.toThrow(/must be owner/);
  });

  it('refuses to migrate with one clear line when a migration is pending and the role may not change the schema', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'erp-sql-'));
    await cp(sqlDir, dir, { recursive: true });
    await writeFile(join(dir, '999_later.sql'), 'create table later (id int);');
    await expect(migrate(db, dir)).rejects.toThrow(/1 database migration\(s\) pending \(999_later\.sql\).*owner role/);
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses to migrate as the owner until a superuser has prepared the database', async () => {
    const admin = await openPostgres(process.env.DATABASE_URL!, { max: 1 });
    const name = `erp_unprepared_${process.pid}`;
    await admin.exec(`drop database if exists ${name}`);
    await admin.exec(`create database ${name} owner ${OWNER_ROLE}`);
    const owner = await openPostgres(withRole(withDatabase(process.env.DATABASE_URL!, name), OWNER_ROLE), { max: 1 });
    try {
      await expect(migrate(owner)).rejects.toThrow(
        /not a superuser, so a superuser must first run sql\/superuser\.sql/,
      );
    } finally {
      await owner.close();
      await admin.exec(`drop database if exists ${name} with (force)`);
      await admin.close();
    }
  });
});

describePostgres('audit rows and durability on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await freshDb(kind);
  });
  afterAll(async () => {
    await db.close();
  });

  const append = (tx: Pick<TestDb, 'query'>) =>
    tx.query(
      "select append_tool_call('test', 'probe', '{}'::jsonb, '{}'::jsonb, 'ok', null, 1, null, null, null, now(), 'digest')",
    );
  const setting = async (tx: Pick<TestDb, 'query'>) =>
    (await tx.query<{ synchronous_commit: string }>('show synchronous_commit'))[0]!.synchronous_commit;

  it("commits a request that changed nothing without waiting for the WAL flush, and a change's row durably", async () => {
    expect(
      await db.transaction(async (tx) => {
        await tx.query('select count(*) from customers');
        await append(tx);
        return setting(tx);
      }),
    ).toBe('off');
    expect(
      await db.transaction(async (tx) => {
        await tx.query("insert into customers (name) values ('Durable Ltd')");
        await append(tx);
        return setting(tx);
      }),
    ).toBe('on');
    expect(await setting(db)).toBe('on'); // set for that transaction only
  });
});
