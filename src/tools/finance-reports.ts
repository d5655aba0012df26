// finance toolset, part three: chart of accounts, reports and the integrity check (read-only
// except create_account).
import { z } from 'zod';
import { ACCOUNT_TYPES, createAccount, listAccounts } from '../domain/finance/accounts.js';
import { checkBooks } from '../domain/finance/checks.js';
import { arAging, customerStatement } from '../domain/finance/receivables.js';
import { balanceSheet, incomeStatement, trialBalance } from '../domain/finance/reports.js';
import { defineTool } from './define.js';
import { id, isoDate, moneyOutput, text } from './schemas.js';

const read = { readOnlyHint: true, idempotentHint: true, openWorldHint: false } as const;
const account = z.object({ account: z.string(), description: z.string(), type: z.enum(ACCOUNT_TYPES) });
const line = z.object({ account: z.string(), description: z.string(), amount: moneyOutput });
const buckets = {
  current: moneyOutput,
  d1_30: moneyOutput,
  d31_60: moneyOutput,
  d61_90: moneyOutput,
  over_90: moneyOutput,
};

export const listAccountsTool = defineTool({
  name: 'list_accounts',
  title: 'List accounts',
  toolset: 'finance',
  description: 'The chart of accounts: number, description and type (asset, liability, equity, revenue, expense).',
  input: z.strictObject({}),
  output: z.object({ accounts: z.array(account) }),
  annotations: read,
  summary: (o) => `${o.accounts.length} accounts`,
  run: async (ctx) => ({ accounts: await listAccounts(ctx.tx) }),
});

export const createAccountTool = defineTool({
  name: 'create_account',
  title: 'Create account',
  toolset: 'finance',
  description: 'Adds an account to the chart of accounts: a new 4-digit number, a description and its type.',
  input: z.strictObject({
    account: z.string().regex(/^\d{4}$/, 'account must be 4 digits'),
    description: text(200, 'description'),
    type: z.enum(ACCOUNT_TYPES),
  }),
  output: account,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  summary: (a) => `Created account ${a.account} ${a.description} (${a.type})`,
  run: (ctx, input) => createAccount(ctx.tx, input),
});

export const trialBalanceTool = defineTool({
  name: 'trial_balance',
  title: 'Trial balance',
  toolset: 'finance',
  description:
    'Debits, credits and balance (debit − credit) of every account for entries up to as_of (default today); total debits equal total credits.',
  input: z.strictObject({ as_of: isoDate.optional() }),
  output: z.object({
    as_of: z.string(),
    accounts: z.array(account.extend({ debit: moneyOutput, credit: moneyOutput, balance: moneyOutput })),
    total_debit: moneyOutput,
    total_credit: moneyOutput,
    balanced: z.boolean(),
  }),
  annotations: read,
  summary: (t) =>
    `Trial balance ${t.as_of}: debits ${t.total_debit}, credits ${t.total_credit}${t.balanced ? '' : ' — NOT BALANCED'}`,
  run: (ctx, input) => trialBalance(ctx.tx, input.as_of),
});

export const incomeStatementTool = defineTool({
  name: 'income_statement',
  title: 'Income statement',
  toolset: 'finance',
  description:
    'Profit and loss between from (default 1 January) and to (default today): revenue, cost of goods sold, gross profit, other expenses and net income, with the accounts behind them.',
  input: z.strictObject({ from: isoDate.optional(), to: isoDate.optional() }),
  output: z.object({
    from: z.string(),
    to: z.string(),
    revenue: moneyOutput,
    cost_of_goods_sold: moneyOutput,
    gross_profit: moneyOutput,
    expenses: moneyOutput,
    net_income: moneyOutput,
    accounts: z.array(line.extend({ type: z.enum(ACCOUNT_TYPES) })),
  }),
  annotations: read,
  summary: (p) =>
    `${p.from} to ${p.to}: revenue ${p.revenue}, gross profit ${p.gross_profit}, net income ${p.net_income}`,
  run: (ctx, input) => incomeStatement(ctx.tx, input.from, input.to),
});

export const balanceSheetTool = defineTool({
  name: 'balance_sheet',
  title: 'Balance sheet',
  toolset: 'finance',
  description:
    'Assets, liabilities and equity as of a date (default today); equity includes earnings not yet closed (retained and current-year). balanced says whether assets = liabilities + equity.',
  input: z.strictObject({ as_of: isoDate.optional() }),
  output: z.object({
    as_of: z.string(),
    assets: z.array(line),
    liabilities: z.array(line),
    equity: z.array(line),
    retained_earnings: moneyOutput,
    current_earnings: moneyOutput,
    total_assets: moneyOutput,
    total_liabilities: moneyOutput,
    total_equity: moneyOutput,
    balanced: z.boolean(),
  }),
  annotations: read,
  summary: (b) =>
    `${b.as_of}: assets ${b.total_assets} = liabilities ${b.total_liabilities} + equity ${b.total_equity}${b.balanced ? '' : ' — NOT BALANCED'}`,
  run: (ctx, input) => balanceSheet(ctx.tx, input.as_of),
});

export const arAgingTool = defineTool({
  name: 'ar_aging',
  title: 'Receivables aging',
  toolset: 'finance',
  view: 'dashboard',
  description:
    'Open amounts of posted invoices as of a date (default today), by days past due: current, 1–30, 31–60, 61–90, over 90 — in total and per customer.',
  input: z.strictObject({ as_of: isoDate.optional() }),
  output: z.object({
    as_of: z.string(),
    buckets: z.object(buckets),
    total: moneyOutput,
    customers: z.array(z.object({ customer_id: z.number().int(), name: z.string(), ...buckets, total: moneyOutput })),
  }),
  annotations: read,
  summary: (a) =>
    `AR ${a.total} as of ${a.as_of}: ${a.buckets.over_90} over 90 days, ${a.customers.length} customer(s)`,
  run: (ctx, input) => arAging(ctx.tx, input.as_of),
});

export const customerStatementTool = defineTool({
  name: 'customer_statement',
  title: 'Customer statement',
  toolset: 'finance',
  description:
    'Statement of account for a customer between from (default 1 January) and to (default today): opening balance, invoices, credit notes and payments with a running balance, closing balance.',
  input: z.strictObject({ customer_id: id(), from: isoDate.optional(), to: isoDate.optional() }),
  output: z.object({
    customer_id: z.number().int(),
    name: z.string(),
    from: z.string(),
    to: z.string(),
    opening_balance: moneyOutput,
    lines: z.array(
      z.object({
        date: z.string(),
        kind: z.enum(['invoice', 'credit_note', 'payment']),
        reference: z.string().nullable(),
        amount: moneyOutput,
        balance: moneyOutput,
      }),
    ),
    closing_balance: moneyOutput,
  }),
  annotations: read,
  summary: (s) => `${s.name}: ${s.opening_balance} → ${s.closing_balance} (${s.lines.length} line(s))`,
  run: (ctx, input) => customerStatement(ctx.tx, input.customer_id, input.from, input.to),
});

export const checkBooksTool = defineTool({
  name: 'check_books',
  title: 'Check the books',
  toolset: 'finance',
  description:
    'Runs every integrity check: entries balance, AR control = open invoices − unapplied credit, inventory account = stock valuation, stock = Σ movements, allocations within amounts, invoice statuses, postings, gapless numbers. Each check passes or lists what is wrong.',
  input: z.strictObject({}),
  output: z.object({
    ok: z.boolean(),
    checks: z.array(
      z.object({
        name: z.string(),
        description: z.string(),
        ok: z.boolean(),
        details: z.array(z.record(z.string(), z.unknown())),
      }),
    ),
  }),
  annotations: read,
  summary: (r) =>
    r.ok
      ? `All ${r.checks.length} checks pass`
      : `FAILED: ${r.checks
          .filter((c) => !c.ok)
          .map((c) => c.name)
          .join(', ')}`,
  run: (ctx) => checkBooks(ctx.tx),
});

export const financeReportTools = [
  listAccountsTool,
  createAccountTool,
  trialBalanceTool,
  incomeStatementTool,
  balanceSheetTool,
  arAgingTool,
  customerStatementTool,
  checkBooksTool,
];
