// The statements of one transaction (or savepoint) that have not answered yet, and the first that
// failed. Every driver keeps the rule the Tx interface states: a statement still in flight when the
// transaction's function resolves belongs to the transaction, and its failure rolls it back.

import type { Tx } from './types.js';

export class Statements {
  private readonly inFlight = new Set<Promise<unknown>>();
  /** The first statement failure in this scope: PostgreSQL aborts the transaction at it. */
  failure: unknown = undefined;

  track<R>(statement: Promise<R>): Promise<R> {
    this.inFlight.add(statement);
    statement.then(
      () => this.inFlight.delete(statement),
      (error: unknown) => {
        this.inFlight.delete(statement);
        this.failure ??= error;
      },
    );
    return statement;
  }

  /** Waits for every statement issued so far; rejects with the first failure, if any. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    if (this.failure !== undefined) throw this.failure;
  }

  /**
   * The error a failed transaction reports: the first statement failure, where the function's own
   * error is only its consequence (25P02, "current transaction is aborted"), else the function's.
   */
  cause(error: unknown): unknown {
    const aborted = (error as { code?: unknown } | null)?.code === '25P02';
    return aborted && this.failure !== undefined ? this.failure : error;
  }

  /** Runs fn in this scope: what it issued settles before it resolves, and a failure names its cause. */
  async within<T>(fn: () => Promise<T>): Promise<T> {
    try {
      const value = await fn();
      await this.settle();
      return value;
    } catch (error) {
      await this.settle().catch(() => {});
      throw this.cause(error);
    }
  }
}

/** A savepoint by hand (SAVEPOINT, then RELEASE or ROLLBACK TO) whose statements are a scope of their own. */
export async function withSavepoint<T>(
  send: (text: string) => Promise<unknown>,
  name: string,
  open: (scope: Statements) => Tx,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  await send(`savepoint ${name}`);
  const scope = new Statements();
  try {
    const value = await scope.within(() => fn(open(scope)));
    await send(`release savepoint ${name}`);
    return value;
  } catch (error) {
    await send(`rollback to savepoint ${name}`);
    throw error;
  }
}
