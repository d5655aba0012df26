// The chart of accounts: four-digit numbers, each with a type that decides its normal balance.
import type { Tx } from '../../db/types.js';

export const ACCOUNT_TYPES = ['asset', 'liability', 'equity', 'revenue', 'expense'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

/**
 * The accounts the server posts to by itself, named as sql/001_core.sql seeds the chart (and
 * TOOLS.md lists it). Users may add accounts; these numbers never change.
 */
export const ACCOUNTS = {
  cash: '1000',
  accountsReceivable: '1100',
  inventory: '1200',
  accountsPayable: '2000',
  salesTaxPayable: '2100',
  ownersEquity: '3000',
  retainedEarnings: '3900',
  salesRevenue: '4000',
  otherIncome: '4900',
  costOfGoodsSold: '5000',
  operatingExpenses: '6000',
} as const;

export interface Account {
  account: string;
  description: string;
  type: AccountType;
}

export async function listAccounts(tx: Tx): Promise<Account[]> {
  return tx.query<Account>('select account, description, type from chart_of_accounts order by account');
}

export async function createAccount(tx: Tx, input: Account): Promise<Account> {
  const [row] = await tx.query<Account>(
    'insert into chart_of_accounts (account, description, type) values ($1, $2, $3) returning account, description, type',
    [input.account, input.description, input.type],
  );
  return row!;
}
