// forecast_demand: Holt's linear exponential smoothing (level α = 0.5, trend β = 0.3) over the
// last 26 weeks of units shipped (stock movements with reason "sale"). The weekly forecast for
// week h ahead is max(0, level + h·trend); the horizon total spreads the last partial week
// pro rata. Simple, explainable, and honest about little data: under 4 weeks of history it
// falls back to the plain weekly average.
import type { Tx } from '../../db/types.js';
import { requireProduct } from '../sales/products.js';
import { today } from '../shared/clock.js';

export const ALPHA = 0.5;
export const BETA = 0.3;
const WEEKS = 26;

export function holt(series: number[], alpha = ALPHA, beta = BETA): { level: number; trend: number } {
  if (series.length === 0) return { level: 0, trend: 0 };
  let level = series[0]!;
  let trend = series.length > 1 ? series[1]! - series[0]! : 0;
  for (const y of series.slice(1)) {
    const previous = level;
    level = alpha * y + (1 - alpha) * (level + trend);
    trend = beta * (level - previous) + (1 - beta) * trend;
  }
  return { level, trend };
}

export async function forecastDemand(tx: Tx, productId: number, horizonDays: number, asOf = today()) {
  const product = await requireProduct(tx, productId);
  const weeks = await tx.query<{ week: string; units: number }>(
    `select to_char(w, 'YYYY-MM-DD') as week, coalesce(sum(-m.change_qty), 0)::int as units
     from generate_series(date_trunc('week', $2::date) - interval '${WEEKS - 1} weeks', date_trunc('week', $2::date), interval '1 week') as w
     left join stock_movements m on m.product_id = $1 and m.reason = 'sale' and m.created_at >= w and m.created_at < w + interval '1 week'
     group by w order by w`,
    [productId, asOf],
  );
  const series = weeks.map((w) => w.units);
  const firstSale = series.findIndex((u) => u > 0);
  const used = firstSale < 0 ? [] : series.slice(firstSale);
  const average = used.length ? used.reduce((a, b) => a + b, 0) / used.length : 0;
  const { level, trend } = used.length >= 4 ? holt(used) : { level: average, trend: 0 };
  const fullWeeks = Math.ceil(horizonDays / 7);
  const weekly = Array.from({ length: fullWeeks }, (_, i) => Math.max(0, level + (i + 1) * trend));
  const partial = horizonDays / 7 - (fullWeeks - 1);
  const total = weekly.reduce((sum, w, i) => sum + (i === fullWeeks - 1 ? w * partial : w), 0);
  const daily = total / horizonDays;
  return {
    product_id: product.id,
    sku: product.sku,
    name: product.name,
    horizon_days: horizonDays,
    method:
      used.length >= 4
        ? `Holt linear exponential smoothing (alpha ${ALPHA}, beta ${BETA}) on weekly units`
        : 'weekly average (under 4 weeks of sales history)',
    history: weeks,
    forecast_units: Math.round(total * 10) / 10,
    weekly_forecast: weekly.map((w) => Math.round(w * 10) / 10),
    available: product.available,
    days_of_cover: daily > 0 ? Math.round((product.available / daily) * 10) / 10 : null,
  };
}
