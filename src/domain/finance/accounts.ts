// The chart of accounts: four-digit numbers, each with a type that decides its normal balance.
import type { Tx } from '../../db/types.js';

export const ACCOUNT_TYPES = ['asset', 'liability', 'equity', 'revenue', 'expense'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

export interface Account { account: string; description: string; type: AccountType }

export async function listAccounts(tx: Tx): Promise<Account[]> {
  return tx.query<Account>('select account, description, type from chart_of_accounts order by account');
}

export async function createAccount(tx: Tx, input: Account): Promise<Account> {
  const [row] = await tx.query<Account>(
    'insert into chart_of_accounts (account, description, type) values ($1, $2, $3) returning account, description, type',
    [input.account, input.description, input.type]);
  return row!;
}
