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

/**
 * PGlite sends a Uint8Array parameter in binary format only if the parameter type's serializer
 * returns it as is; this one does so for every type (bulk vectors, see vectorsParam), and leaves
 * every other value to PGlite's serializer for its type, as a query without one would.
 */
const binaryAware = (base: PGlite['serializers']) =>
  new Proxy({} as PGlite['serializers'], {
    get: (_, oid: string) => (value: unknown) =>
      value instanceof Uint8Array ? value : base[oid] ? base[oid](value) : String(value),
  });
const hasBytes = (params: readonly unknown[]) => params.some((p) => p instanceof Uint8Array);

function wrapTx(tx: Transaction | PGlite, serializers: PGlite['serializers'], statements = new Statements()): Tx {
  const self: Tx = {
    kind: 'pglite',
    binaryParams: true,
    query<T extends object>(text: string, params: readonly unknown[] = []) {
      const options = hasBytes(params) ? { serializers } : undefined;
      return statements.track(tx.query<T>(text, params as unknown[], options).then((result) => result.rows));
    },
    columns(text: string, params: readonly unknown[] = []) {
      return statements.track(tx.query(text, params as unknown[]).then((result) => result.fields.map((f) => f.name)));
    },
    savepoint: (fn) =>
      withSavepoint(
        (text) => tx.query(text),
        `erp_sp_${++savepoints}`,
        (scope) => wrapTx(tx, serializers, scope),
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
  const serializers = binaryAware(pglite.serializers);
  const base = wrapTx(pglite, serializers);
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
        return statements.within(() => fn(wrapTx(tx, serializers, statements)));
      }),
    close: () => pglite.close(),
  };
}
