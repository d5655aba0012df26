// analytics toolset (all read-only): sales report, KPIs, demand forecast, and guarded ad-hoc SQL.
import { z } from 'zod';
import { forecastDemand } from '../domain/analytics/forecast.js';
import { GROUPINGS, kpiSnapshot, salesReport } from '../domain/analytics/reports.js';
import { LIMITS, runReadOnlyQuery } from '../domain/analytics/run-query.js';
import { today } from '../domain/shared/clock.js';
import { defineTool } from './define.js';
import { id, isoDate, moneyOutput } from './schemas.js';

const read = { readOnlyHint: true, idempotentHint: true, openWorldHint: false } as const;

export const salesReportTool = defineTool({
  name: 'sales_report',
  title: 'Sales report',
  description:
    'Sales (confirmed and fulfilled orders, before tax) between from and to (inclusive, YYYY-MM-DD), grouped by day, week, month, customer or product: orders, units, revenue, cost at current product cost, and margin.',
  toolset: 'analytics',
  view: 'dashboard',
  input: z.strictObject({ from: isoDate, to: isoDate, group_by: z.enum(GROUPINGS) }),
  output: z.object({
    from: z.string(),
    to: z.string(),
    group_by: z.enum(GROUPINGS),
    rows: z.array(
      z.object({
        key: z.string(),
        label: z.string(),
        orders: z.number().int(),
        units: z.number().int(),
        revenue: moneyOutput,
        cost: moneyOutput,
        margin: moneyOutput,
      }),
    ),
    totals: z.object({ orders: z.number().int(), units: z.number().int(), revenue: moneyOutput }),
  }),
  annotations: read,
  summary: (o) =>
    `Sales ${o.from} to ${o.to}: ${o.totals.orders} orders, ${o.totals.units} units, revenue ${o.totals.revenue} in ${o.rows.length} ${o.group_by} group(s)`,
  run: (ctx, input) => salesReport(ctx.tx, input.from, input.to, input.group_by),
});

export const kpiSnapshotTool = defineTool({
  name: 'kpi_snapshot',
  title: 'KPI snapshot',
  description:
    "Key figures as of a date (default today): revenue and COGS year to date, gross margin, DSO (open AR ÷ last 90 days' revenue × 90), open AR, inventory value, open orders and their value, and lead conversion rate (won ÷ closed leads).",
  toolset: 'analytics',
  view: 'dashboard',
  input: z.strictObject({ as_of: isoDate.optional() }),
  output: z.object({
    as_of: z.string(),
    revenue_ytd: moneyOutput,
    cost_of_goods_sold_ytd: moneyOutput,
    gross_margin: z.number().nullable(),
    dso_days: z.number().nullable(),
    open_ar: moneyOutput,
    inventory_value: moneyOutput,
    open_orders: z.number().int(),
    open_orders_value: moneyOutput,
    lead_conversion_rate: z.number().nullable(),
  }),
  annotations: read,
  summary: (k) =>
    `As of ${k.as_of}: revenue YTD ${k.revenue_ytd}, margin ${k.gross_margin ?? 'n/a'}, open AR ${k.open_ar}, DSO ${k.dso_days === null ? 'n/a' : `${k.dso_days} days`}, ${k.open_orders} open orders`,
  run: (ctx, input) => kpiSnapshot(ctx.tx, input.as_of ?? today()),
});

export const forecastDemandTool = defineTool({
  name: 'forecast_demand',
  title: 'Forecast demand',
  description:
    'Forecasts units a product will sell over the next horizon_days, by Holt linear exponential smoothing of the last 26 weeks of shipments (weekly average when history is short); returns the weekly history and forecast and days of cover of available stock.',
  toolset: 'analytics',
  input: z.strictObject({ product_id: id(), horizon_days: z.number().int().min(1).max(365) }),
  output: z.object({
    product_id: z.number().int(),
    sku: z.string(),
    name: z.string(),
    horizon_days: z.number().int(),
    method: z.string(),
    history: z.array(z.object({ week: z.string(), units: z.number().int() })),
    forecast_units: z.number(),
    weekly_forecast: z.array(z.number()),
    available: z.number().int(),
    days_of_cover: z.number().nullable(),
  }),
  annotations: read,
  summary: (f) =>
    `${f.sku}: about ${f.forecast_units} units in ${f.horizon_days} days; ${f.available} available${f.days_of_cover !== null ? ` (${f.days_of_cover} days of cover)` : ''}`,
  run: (ctx, input) => forecastDemand(ctx.tx, input.product_id, input.horizon_days),
});

const TRUNCATION = {
  rows: `more than ${LIMITS.rows} rows`,
  bytes: `more than ${LIMITS.bytes / 1_000_000} MB`,
  time: `longer than ${LIMITS.timeoutMs / 1000} s`,
  row_too_large: `rows over ${LIMITS.rowBytes / 1024} KB were returned as nulls`,
} as const;

export const runQueryTool = defineTool({
  name: 'run_query',
  title: 'Run read-only SQL',
  description: `Runs one read-only SQL query (SELECT, WITH, VALUES or TABLE) for questions no other tool answers. It reads the reporting views, one per business table and named like it (customers, orders, invoices, payments, ledger_lines, stock, …; erp://schema lists them and their columns), as a database role that can do nothing else. Parameters $1, $2, … come from params. Limits: ${LIMITS.rows} rows, ${LIMITS.bytes / 1_000_000} MB, ${LIMITS.rowBytes / 1024} KB a row, ${LIMITS.timeoutMs / 1000} s; truncated and truncated_reason say when more existed. On the embedded database, queries whose plan is too expensive are refused before they run.`,
  toolset: 'analytics',
  roles: ['admin', 'analyst', 'finance'],
  input: z.strictObject({
    sql: z.string().trim().min(1, 'sql must not be empty').max(20_000),
    params: z
      .array(z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]))
      .max(100)
      .default([]),
  }),
  output: z.object({
    columns: z.array(z.string()),
    rows: z.array(z.record(z.string(), z.unknown())),
    row_count: z.number().int(),
    truncated: z.boolean(),
    truncated_reason: z.enum(['rows', 'bytes', 'time', 'row_too_large']).nullable(),
  }),
  annotations: read,
  summary: (r) =>
    `${r.row_count} row(s)${r.truncated ? ` — truncated (${TRUNCATION[r.truncated_reason!]}); narrow the query` : ''}`,
  run: (ctx, input) => runReadOnlyQuery(ctx.tx, ctx.user.role, input.sql, input.params),
});

export const analyticsTools = [salesReportTool, kpiSnapshotTool, forecastDemandTool, runQueryTool];
