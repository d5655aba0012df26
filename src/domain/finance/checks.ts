// check_books: every integrity rule of the books, each reported pass/fail with details. Each
// check is one query returning the offending rows (none = pass).
import type { Tx } from '../../db/types.js';
import { ACCOUNTS } from './accounts.js';

interface Check {
  name: string;
  description: string;
  sql: string;
  params?: unknown[];
}

const { accountsReceivable: AR, inventory: INVENTORY } = ACCOUNTS;

const CHECKS: Check[] = [
  {
    name: 'entries_balance',
    description: 'every journal entry has lines and Σ debit = Σ credit > 0',
    sql: `select e.id as entry_id, coalesce(sum(l.debit), 0)::text as debit, coalesce(sum(l.credit), 0)::text as credit
          from ledger_entries e left join ledger_lines l on l.entry_id = e.id group by e.id
          having coalesce(sum(l.debit), 0) <> coalesce(sum(l.credit), 0) or coalesce(sum(l.debit), 0) = 0`,
  },
  {
    name: 'ar_control',
    description: `account ${AR} = open invoices − unapplied payments and credit notes`,
    params: [AR],
    sql: `select ledger::text, documents::text from (select
            coalesce((select sum(debit - credit) from ledger_lines where account = $1), 0) as ledger,
            coalesce((select sum(open_amount) from invoice_balances where status in ('posted', 'paid')), 0)
              - coalesce((select sum(unapplied) from unapplied_credits), 0) as documents) x where ledger <> documents`,
  },
  {
    name: 'inventory_valuation',
    description: `account ${INVENTORY} = Σ stock on hand × product cost`,
    params: [INVENTORY],
    sql: `select ledger::text, stock::text from (select
            coalesce((select sum(debit - credit) from ledger_lines where account = $1), 0) as ledger,
            coalesce((select sum(s.qty_on_hand * p.cost) from stock s join products p on p.id = s.product_id), 0) as stock) x where ledger <> stock`,
  },
  {
    name: 'stock_matches_movements',
    description: "every product's stock on hand = Σ its movements",
    sql: `select s.product_id, s.qty_on_hand, coalesce(m.total, 0)::int as movements from stock s
          left join (select product_id, sum(change_qty) as total from stock_movements group by product_id) m using (product_id)
          where s.qty_on_hand <> coalesce(m.total, 0)`,
  },
  {
    name: 'allocations_within_amounts',
    description: 'no payment, credit note or invoice is applied beyond its amount',
    sql: `select 'invoice' as kind, invoice_id as id, open_amount::text as open from invoice_balances where open_amount < 0
          union all select source, source_id, unapplied::text from unapplied_credits where unapplied < 0`,
  },
  {
    name: 'invoice_status',
    description: 'an invoice is paid exactly when nothing is open on it',
    sql: `select invoice_id, status, open_amount::text from invoice_balances
          where status in ('posted', 'paid') and (status = 'paid') <> (open_amount = 0)`,
  },
  {
    name: 'invoices_posted_to_ledger',
    description: `every posted invoice and credit note has a journal entry for its total on ${AR}`,
    params: [AR],
    sql: `select i.id, i.invoice_number from invoices i
          left join lateral (select sum(debit + credit) as amount from ledger_lines where entry_id = i.ledger_entry_id and account = $1) l on true
          where i.status in ('posted', 'paid') and (i.ledger_entry_id is null or l.amount is distinct from i.total_amount)`,
  },
  {
    name: 'numbers_gapless',
    description: 'INV-/CN- numbers run 1..N per series and year without gaps or duplicates',
    sql: `with n as (select split_part(invoice_number, '-', 1) as series, split_part(invoice_number, '-', 2)::int as year,
                       split_part(invoice_number, '-', 3)::int as seq from invoices where invoice_number is not null)
          select series, year, count(*)::int as numbers, count(distinct seq)::int as distinct_numbers, max(seq) as highest,
                 (select last_value from document_sequences d where d.series = n.series and d.year = n.year) as counter
          from n group by series, year
          having count(*) <> max(seq) or count(distinct seq) <> count(*) or min(seq) <> 1
             or max(seq) <> coalesce((select last_value from document_sequences d where d.series = n.series and d.year = n.year), max(seq))`,
  },
];

export async function checkBooks(tx: Tx) {
  const checks = [];
  for (const check of CHECKS) {
    const problems = await tx.query<Record<string, unknown>>(`${check.sql} limit 20`, check.params ?? []);
    checks.push({ name: check.name, description: check.description, ok: problems.length === 0, details: problems });
  }
  return { ok: checks.every((c) => c.ok), checks };
}
