// Financial reports from the ledger. SQL sums each account's debits and credits (numeric); the
// totals, net income and sections add those balances in integer cents; figures leave as "12.50".
// Earnings are never closed into 3900 by an entry, so the balance sheet shows them as equity:
// current_earnings = net income of the calendar year of as_of, retained_earnings = net income
// of earlier years (account 3900 itself is listed among the equity accounts).
import type { Tx } from '../../db/types.js';
import { today } from '../shared/clock.js';
import { invalid } from '../shared/errors.js';
import { formatMoney, money, parseMoney } from '../shared/money.js';
import { ACCOUNTS, type AccountType } from './accounts.js';

const startOfYear = (date: string) => `${date.slice(0, 4)}-01-01`;

interface Balance {
  account: string;
  description: string;
  type: AccountType;
  debit: string;
  credit: string;
}

/** Debits and credits per account for entries dated within [from, to] (from null = since ever). */
async function balances(tx: Tx, from: string | null, to: string): Promise<Balance[]> {
  return tx.query<Balance>(
    `select a.account, a.description, a.type, coalesce(sum(l.debit), 0) as debit, coalesce(sum(l.credit), 0) as credit
     from chart_of_accounts a
     left join (select l.account, l.debit, l.credit from ledger_lines l join ledger_entries e on e.id = l.entry_id
                where ($1::date is null or e.entry_date >= $1) and e.entry_date <= $2) l on l.account = a.account
     group by a.account, a.description, a.type order by a.account`,
    [from, to],
  );
}

/** Balance in the account's normal direction: debit − credit for assets and expenses, credit − debit otherwise. */
const natural = (b: Balance) =>
  (b.type === 'asset' || b.type === 'expense' ? 1n : -1n) * (parseMoney(b.debit) - parseMoney(b.credit));
const sum = (rows: Balance[], pick: (b: Balance) => boolean) => rows.filter(pick).reduce((s, b) => s + natural(b), 0n);

export async function trialBalance(tx: Tx, asOf = today()) {
  const rows = await balances(tx, null, asOf);
  const accounts = rows.map((b) => ({
    ...b,
    debit: money(b.debit),
    credit: money(b.credit),
    balance: formatMoney(parseMoney(b.debit) - parseMoney(b.credit)),
  }));
  const totalDebit = rows.reduce((s, b) => s + parseMoney(b.debit), 0n);
  const totalCredit = rows.reduce((s, b) => s + parseMoney(b.credit), 0n);
  return {
    as_of: asOf,
    accounts,
    total_debit: formatMoney(totalDebit),
    total_credit: formatMoney(totalCredit),
    balanced: totalDebit === totalCredit,
  };
}

function netIncome(rows: Balance[]) {
  const revenue = sum(rows, (b) => b.type === 'revenue');
  const cogs = sum(rows, (b) => b.account === ACCOUNTS.costOfGoodsSold);
  const expenses = sum(rows, (b) => b.type === 'expense' && b.account !== ACCOUNTS.costOfGoodsSold);
  return { revenue, cogs, expenses, gross: revenue - cogs, net: revenue - cogs - expenses };
}

export async function incomeStatement(tx: Tx, from?: string, to?: string) {
  const end = to ?? today();
  const start = from ?? startOfYear(end);
  if (start > end) throw invalid(`from ${start} is after to ${end}`);
  const rows = await balances(tx, start, end);
  const n = netIncome(rows);
  return {
    from: start,
    to: end,
    revenue: formatMoney(n.revenue),
    cost_of_goods_sold: formatMoney(n.cogs),
    gross_profit: formatMoney(n.gross),
    expenses: formatMoney(n.expenses),
    net_income: formatMoney(n.net),
    accounts: rows
      .filter((b) => (b.type === 'revenue' || b.type === 'expense') && natural(b) !== 0n)
      .map((b) => ({ account: b.account, description: b.description, type: b.type, amount: formatMoney(natural(b)) })),
  };
}

export async function balanceSheet(tx: Tx, asOf = today()) {
  const all = await balances(tx, null, asOf);
  const thisYear = netIncome(await balances(tx, startOfYear(asOf), asOf)).net;
  const allTime = netIncome(all).net;
  const section = (type: AccountType) =>
    all
      .filter((b) => b.type === type && natural(b) !== 0n)
      .map((b) => ({ account: b.account, description: b.description, amount: formatMoney(natural(b)) }));
  const assets = sum(all, (b) => b.type === 'asset');
  const liabilities = sum(all, (b) => b.type === 'liability');
  const equityAccounts = sum(all, (b) => b.type === 'equity');
  const totalEquity = equityAccounts + allTime;
  return {
    as_of: asOf,
    assets: section('asset'),
    liabilities: section('liability'),
    equity: section('equity'),
    retained_earnings: formatMoney(allTime - thisYear),
    current_earnings: formatMoney(thisYear),
    total_assets: formatMoney(assets),
    total_liabilities: formatMoney(liabilities),
    total_equity: formatMoney(totalEquity),
    balanced: assets === liabilities + totalEquity,
  };
}
