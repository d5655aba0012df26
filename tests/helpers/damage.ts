// Writing what the database refuses (sql/008), as the tables' owner with its commit-time checks
// switched off for one transaction: the state books written before those checks may be in, for
// testing that check_books reports it and the domain does not make it worse.
import type { Tx } from '../../src/db/types.js';
import type { TestDb } from './db.js';

const CHECKS: [table: string, trigger: string][] = [
  ['payment_allocations', 'payment_allocations_within_amounts'],
  ['credit_allocations', 'credit_allocations_within_amounts'],
  ['payments', 'payment_amount_covers_allocations'],
  ['invoices', 'invoice_total_covers_allocations'],
  ['ledger_entries', 'ledger_entry_balances'],
  ['ledger_lines', 'ledger_lines_balance'],
];

export async function writeDamage<T>(db: TestDb, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.owner.transaction(async (tx) => {
    // Rows written while a trigger is disabled queue no check; enabling it again is transactional.
    for (const [table, trigger] of CHECKS) await tx.query(`alter table ${table} disable trigger ${trigger}`);
    const result = await fn(tx);
    for (const [table, trigger] of CHECKS) await tx.query(`alter table ${table} enable trigger ${trigger}`);
    return result;
  });
}
