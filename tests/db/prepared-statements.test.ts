// On PostgreSQL our own statements are prepared once per connection (an unnamed statement with
// parameters costs a Describe round trip before every Bind and holds back what is pipelined
// behind it), and a caller's text never is: run_query could otherwise grow the cache without bound.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPostgres } from '../../src/db/postgres.js';
import type { Db } from '../../src/db/types.js';
import { describePostgres, freshDb, type TestDb } from '../helpers/db.js';

describePostgres('prepared statements on %s', () => {
  let db: TestDb;
  let one: Db; // a single connection, so pg_prepared_statements is the session every statement used
  beforeAll(async () => {
    db = await freshDb('postgres');
    one = await openPostgres(db.url!, { max: 1 });
  });
  afterAll(async () => {
    await one.close();
    await db.close();
  });

  const prepared = async () => {
    const [row] = await one.query<{ n: number }>('select count(*)::int as n from pg_prepared_statements', [], {
      adHoc: true,
    });
    return row!.n;
  };

  it('prepares a statement of ours once and reuses it, in and out of transactions', async () => {
    const before = await prepared();
    for (let i = 0; i < 20; i++) {
      await one.transaction((tx) => tx.query('select id from customers where id = $1', [i]));
      await one.query('select id from customers where id = $1', [i]);
    }
    expect(await prepared()).toBe(before + 1);
  });

  it('keeps nothing of ad hoc statements, however many different ones run', async () => {
    const before = await prepared();
    for (let i = 0; i < 30; i++) {
      await one.transaction((tx) => tx.query(`select $1::int + ${i} as v`, [i], { adHoc: true }));
      await one.transaction((tx) => tx.columns(`select ${i} as c${i}`, []));
    }
    expect(await prepared()).toBe(before);
  });

  it('reads a cursor fetched ad hoc with each cursor’s own columns', async () => {
    const fetchFrom = (declare: string) =>
      one.transaction(async (tx) => {
        await tx.query(`declare c no scroll cursor for ${declare}`, [], { adHoc: true });
        return tx.query('fetch 10 from c', [], { adHoc: true });
      });
    expect(await fetchFrom('select 1 as a, 2 as b')).toEqual([{ a: 1, b: 2 }]);
    expect(await fetchFrom("select 'x' as z")).toEqual([{ z: 'x' }]);
  });
});
