// Sales analytics: what sold, when and to whom, and the handful of KPIs an owner watches.
// Sales are confirmed and fulfilled orders (drafts and cancellations are not sales), dated by
// order creation; amounts are order line totals before tax.
import type { Tx } from '../../db/types.js';
import { ACCOUNTS } from '../finance/accounts.js';
import { invalid } from '../shared/errors.js';
import { money } from '../shared/money.js';

export const GROUPINGS = ['day', 'week', 'month', 'customer', 'product'] as const;
export type Grouping = (typeof GROUPINGS)[number];

export interface SalesRow {
  key: string;
  label: string;
  orders: number;
  units: number;
  revenue: string;
  cost: string;
  margin: string;
}

const KEYS: Record<Grouping, { key: string; label: string }> = {
  day: { key: "to_char(o.created_at, 'YYYY-MM-DD')", label: "to_char(o.created_at, 'YYYY-MM-DD')" },
  week: {
    key: "to_char(date_trunc('week', o.created_at), 'IYYY-\"W\"IW')",
    label: "to_char(date_trunc('week', o.created_at), 'YYYY-MM-DD')",
  },
  month: { key: "to_char(o.created_at, 'YYYY-MM')", label: "to_char(o.created_at, 'YYYY-MM')" },
  customer: { key: 'o.customer_id::text', label: 'c.name' },
  product: { key: 'p.sku', label: 'p.name' },
};

export async function salesReport(tx: Tx, from: string, to: string, groupBy: Grouping) {
  if (from > to) throw invalid(`from ${from} is after to ${to}`);
  const { key, label } = KEYS[groupBy];
  const rows = await tx.query<SalesRow>(
    `select ${key} as key, min(${label}) as label, count(distinct o.id)::int as orders, sum(i.quantity)::int as units,
       sum(i.line_total) as revenue, sum(i.quantity * p.cost) as cost, sum(i.line_total) - sum(i.quantity * p.cost) as margin
     from orders o join order_items i on i.order_id = o.id join products p on p.id = i.product_id join customers c on c.id = o.customer_id
     where o.status in ('confirmed', 'fulfilled') and o.created_at >= $1::date and o.created_at < $2::date + 1
     group by 1 order by ${groupBy === 'customer' || groupBy === 'product' ? 'sum(i.line_total) desc, 1' : '1'}`,
    [from, to],
  );
  const items = rows.map((r) => ({ ...r, revenue: money(r.revenue), cost: money(r.cost), margin: money(r.margin) }));
  const [t] = await tx.query<{ orders: number; units: number; revenue: string }>(
    `select count(distinct o.id)::int as orders, coalesce(sum(i.quantity), 0)::int as units, coalesce(sum(i.line_total), 0) as revenue
     from orders o join order_items i on i.order_id = o.id
     where o.status in ('confirmed', 'fulfilled') and o.created_at >= $1::date and o.created_at < $2::date + 1`,
    [from, to],
  );
  return {
    from,
    to,
    group_by: groupBy,
    rows: items,
    totals: { orders: t!.orders, units: t!.units, revenue: money(t!.revenue) },
  };
}

/**
 * KPIs as of a date: year-to-date P&L figures from the ledger, balances, pipeline. The ratios are
 * worked out in numeric by the database, as the money they come from is: never in JS floats.
 */
export async function kpiSnapshot(tx: Tx, asOf: string) {
  const [k] = await tx.query<Record<string, string | number | null>>(
    `
    with l as (select l.account, l.debit, l.credit, e.entry_date from ledger_lines l join ledger_entries e on e.id = l.entry_id where e.entry_date <= $1::date),
    k as (select
      coalesce((select sum(credit - debit) from l join chart_of_accounts a using (account) where a.type = 'revenue' and entry_date >= date_trunc('year', $1::date)), 0) as revenue,
      coalesce((select sum(debit - credit) from l where account = $2 and entry_date >= date_trunc('year', $1::date)), 0) as cogs,
      coalesce((select sum(credit - debit) from l where account = $3 and entry_date > $1::date - 90), 0) as revenue_90d,
      coalesce((select sum(debit - credit) from l where account = $4), 0) as open_ar,
      coalesce((select sum(debit - credit) from l where account = $5), 0) as inventory_value,
      (select count(*)::int from orders where status in ('draft', 'confirmed') and created_at < $1::date + 1) as open_orders,
      coalesce((select sum(total) from orders where status in ('draft', 'confirmed') and created_at < $1::date + 1), 0) as open_orders_value,
      (select count(*)::int from leads where status = 'won' and created_at < $1::date + 1) as leads_won,
      (select count(*)::int from leads where status in ('won', 'lost') and created_at < $1::date + 1) as leads_closed)
    select revenue, cogs, open_ar, inventory_value, open_orders, open_orders_value,
      round((revenue - cogs) / nullif(revenue, 0), 4)::text as gross_margin,
      case when revenue_90d > 0 then round(open_ar / revenue_90d * 90, 1)::text end as dso_days,
      round(leads_won::numeric / nullif(leads_closed, 0), 4)::text as lead_conversion_rate
    from k`,
    [asOf, ACCOUNTS.costOfGoodsSold, ACCOUNTS.salesRevenue, ACCOUNTS.accountsReceivable, ACCOUNTS.inventory],
  );
  const ratio = (value: string | number | null | undefined) => (value == null ? null : Number(value));
  return {
    as_of: asOf,
    revenue_ytd: money(k!.revenue as string),
    cost_of_goods_sold_ytd: money(k!.cogs as string),
    gross_margin: ratio(k!.gross_margin),
    dso_days: ratio(k!.dso_days),
    open_ar: money(k!.open_ar as string),
    inventory_value: money(k!.inventory_value as string),
    open_orders: Number(k!.open_orders),
    open_orders_value: money(k!.open_orders_value as string),
    lead_conversion_rate: ratio(k!.lead_conversion_rate),
  };
}
