// Embedded driver: PostgreSQL compiled to WASM (PGlite) with pgvector, in a data directory.
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { Statements, withSavepoint } from './statements.js';
import type { Db, Tx } from './types.js';
import { typeParsers } from './types.js';

export interface PgliteOptions {
  /** Data directory; undefined keeps the database in memory. */
  dataDir?: string;
  /** A tarball from dumpDataDir() to start from (fast test fixtures). */
  loadDataDir?: Blob | File;
}

let savepoints = 0;

function wrapTx(tx: Transaction | PGlite, statements = new Statements()): Tx {
  const self: Tx = {
    kind: 'pglite',
    query<T extends object>(text: string, params: readonly unknown[] = []) {
      return statements.track(tx.query<T>(text, params as unknown[]).then((result) => result.rows));
    },
    columns(text: string, params: readonly unknown[] = []) {
      return statements.track(tx.query(text, params as unknown[]).then((result) => result.fields.map((f) => f.name)));
    },
    savepoint: (fn) =>
      withSavepoint(
        (text) => tx.query(text),
        `erp_sp_${++savepoints}`,
        (scope) => wrapTx(tx, scope),
        fn,
      ),
    async exec(script: string) {
      await tx.exec(script);
    },
  };
  return self;
}

export async function openPglite(options: PgliteOptions = {}): Promise<Db & { pglite: PGlite }> {
  const pglite = await PGlite.create({
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir,
    extensions: { vector },
    parsers: typeParsers,
  });
  await pglite.exec("set timezone to 'UTC'");
  const base = wrapTx(pglite);
  return {
    kind: 'pglite',
    pglite,
    query: base.query,
    columns: base.columns,
    savepoint: base.savepoint,
    exec: base.exec,
    transaction: (fn) =>
      pglite.transaction((tx) => {
        const statements = new Statements();
        return statements.within(() => fn(wrapTx(tx, statements)));
      }),
    close: () => pglite.close(),
  };
}
