import { describe, expect, it } from 'vitest';
import { holt } from '../../src/domain/analytics/forecast.js';
import { seedDemo } from '../../src/demo/seed.js';
import { parseMoney } from '../../src/domain/shared/money.js';
import { dbKinds } from '../helpers/db.js';
import { useServer } from '../helpers/mcp.js';

interface Report {
  rows: { key: string; orders: number; revenue: string }[];
  totals: { orders: number; revenue: string };
}

describe('Holt smoothing', () => {
  it('follows a steady trend and a flat series exactly', () => {
    expect(holt([5, 5, 5, 5])).toEqual({ level: 5, trend: 0 });
    const { level, trend } = holt([10, 12, 14, 16, 18]);
    expect(level).toBeCloseTo(18, 6);
    expect(trend).toBeCloseTo(2, 6);
  });
});

describe.each(dbKinds)('analytics on %s', (kind) => {
  const s = useServer(kind, async ({ db }) => {
    await seedDemo(db);
  });
  const today = new Date().toISOString().slice(0, 10);
  const yearAgo = new Date(Date.now() - 370 * 86_400_000).toISOString().slice(0, 10);

  it('sales_report groups add up to the totals, whatever the grouping', async () => {
    const [expected] = await s.db.query<{ revenue: string }>(
      "select sum(i.line_total)::text as revenue from orders o join order_items i on i.order_id = o.id where o.status in ('confirmed', 'fulfilled')",
    );
    for (const group_by of ['month', 'customer', 'product', 'week', 'day']) {
      const r = await s.mcp.ok<Report>('sales_report', { from: yearAgo, to: today, group_by });
      const sum = r.rows.reduce((s, x) => s + parseMoney(x.revenue), 0n);
      expect(sum, group_by).toBe(parseMoney(r.totals.revenue));
      expect(parseMoney(r.totals.revenue)).toBe(parseMoney(expected!.revenue));
    }
    const monthly = await s.mcp.ok<Report>('sales_report', { from: yearAgo, to: today, group_by: 'month' });
    expect(monthly.rows.length).toBeGreaterThanOrEqual(12);
    expect((await s.mcp.fail('sales_report', { from: today, to: yearAgo, group_by: 'month' })).code).toBe(
      'INVALID_INPUT',
    );
    expect((await s.mcp.fail('sales_report', { from: '2026-02-30', to: today, group_by: 'month' })).code).toBe(
      'INVALID_INPUT',
    );
  });

  it('kpi_snapshot agrees with the ledger and the stock', async () => {
    const k = await s.mcp.ok<{
      open_ar: string;
      inventory_value: string;
      gross_margin: number;
      dso_days: number;
      open_orders: number;
      lead_conversion_rate: number;
      revenue_ytd: string;
      cost_of_goods_sold_ytd: string;
    }>('kpi_snapshot');
    const [row] = await s.db.query<{ ar: string; stock: string; open: number }>(`select
      (select sum(debit - credit) from ledger_lines where account = '1100')::numeric(14,2)::text as ar,
      (select sum(s.qty_on_hand * p.cost) from stock s join products p on p.id = s.product_id)::numeric(14,2)::text as stock,
      (select count(*)::int from orders where status in ('draft', 'confirmed')) as open`);
    expect(k.open_ar).toBe(row!.ar);
    expect(k.inventory_value).toBe(row!.stock);
    expect(k.open_orders).toBe(row!.open);
    // The margin is exact to its four places: worked out from the cents, rounded half away from zero.
    const cents = (amount: string) => BigInt(amount.replace('.', ''));
    const [revenue, cogs] = [cents(k.revenue_ytd), cents(k.cost_of_goods_sold_ytd)];
    const tenThousandths = ((revenue - cogs) * 100_000n) / revenue; // one place more, then round it
    expect(k.gross_margin).toBe(Number((tenThousandths + (tenThousandths >= 0n ? 5n : -5n)) / 10n) / 10_000);
    expect(k.gross_margin).toBeGreaterThan(0.2);
    expect(k.gross_margin).toBeLessThan(0.8);
    expect(k.dso_days).toBeGreaterThan(0);
    expect(k.lead_conversion_rate).toBeGreaterThan(0);
  });

  it("forecast_demand projects a product's sales from its history", async () => {
    const [best] = await s.db.query<{ product_id: number }>(
      "select product_id from stock_movements where reason = 'sale' group by product_id order by sum(-change_qty) desc limit 1",
    );
    const f = await s.mcp.ok<{
      history: { units: number }[];
      forecast_units: number;
      weekly_forecast: number[];
      method: string;
    }>('forecast_demand', { product_id: best!.product_id, horizon_days: 30 });
    expect(f.history).toHaveLength(26);
    expect(f.history.some((h) => h.units > 0)).toBe(true);
    expect(f.weekly_forecast).toHaveLength(5);
    expect(f.weekly_forecast.every((w) => w >= 0)).toBe(true);
    expect(f.forecast_units).toBeGreaterThanOrEqual(0);
    expect(f.method).toMatch(/Holt|average/);
    expect((await s.mcp.fail('forecast_demand', { product_id: 99999, horizon_days: 30 })).code).toBe('NOT_FOUND');
    expect((await s.mcp.fail('forecast_demand', { product_id: best!.product_id, horizon_days: 0 })).code).toBe(
      'INVALID_INPUT',
    );
  });
});
