// The statements of one transaction (or savepoint) that have not answered yet, and the first that
// failed. Every driver keeps the rule the Tx interface states: a statement still in flight when the
// transaction's function resolves belongs to the transaction, and its failure rolls it back.

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
}
