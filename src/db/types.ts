// The one database interface the domain sees. Both drivers run the same SQL and return rows in
// the same shapes: numeric as decimal strings, date as 'YYYY-MM-DD', timestamptz as ISO 8601
// strings, int8 as numbers, json/jsonb parsed.

export type Row = Record<string, unknown>;

export interface QueryOptions {
  /**
   * Run the statement once, unnamed, instead of keeping it prepared on the connection: its text
   * comes from a caller (run_query), who could grow the cache without bound, or the shape of its
   * rows is not fixed by its text (a cursor's fetch), which a prepared statement would keep.
   */
  adHoc?: boolean;
}

export interface Tx {
  /** Which engine runs the statements: PGlite cannot interrupt a query, PostgreSQL can. */
  readonly kind: 'pglite' | 'postgres';
  /**
   * The driver sends a Uint8Array parameter as is, in PostgreSQL's binary format of the parameter's
   * type: PGlite in this process does. postgres.js sends text only, also to a PGlite served on its
   * socket (kind 'pglite' there): the driver decides, not the engine.
   */
  readonly binaryParams?: boolean;
  /** One parameterised statement ($1, $2, …); returns its rows. */
  query<T extends object = Row>(text: string, params?: readonly unknown[], options?: QueryOptions): Promise<T[]>;
  /**
   * The names of the columns a statement returns, in order, duplicates kept (it runs the statement,
   * ad hoc: its text is a caller's).
   */
  columns(text: string, params?: readonly unknown[]): Promise<string[]>;
  /**
   * Runs fn in a savepoint: released when it resolves, rolled back (and the error rethrown) when
   * it throws, leaving the enclosing transaction usable. Inside a transaction only.
   */
  savepoint<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** A script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface Db extends Tx {
  /**
   * Runs fn in one transaction: committed when it resolves, rolled back when it throws. A statement
   * fn issued and did not await belongs to the transaction too: on PostgreSQL it travels with the
   * commit in one round trip (the gate's audit row), and if it fails the transaction rolls back
   * and transaction() rejects with its error. So does any failed statement outside a savepoint.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Text-format parsers shared by both drivers, keyed by PostgreSQL type oid. */
export const typeParsers: Record<number, (value: string) => unknown> = {
  20: (v) => Number(v), // int8: counts and sums of integers stay well inside 2^53
  1700: (v) => v, // numeric: exact decimal string, never a float
  1082: (v) => v, // date: already 'YYYY-MM-DD' with DateStyle ISO
  1114: (v) => new Date(`${v.replace(' ', 'T')}Z`).toISOString(), // timestamp (stored as UTC)
  1184: (v) => new Date(v).toISOString(), // timestamptz
};
