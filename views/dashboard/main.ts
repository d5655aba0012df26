// Sales and receivables dashboard: revenue by month, top customers and products, receivables
// aging and the key figures. Opened by sales_report, kpi_snapshot or ar_aging, it shows that
// result and asks the host for the other reports; a report the user's role may not run says so
// in its panel. Each chart has its table under it; colours are the Okabe–Ito palette.
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';
import { connect, type Bridge } from '../lib/bridge.js';
import { errorBox, h, render } from '../lib/dom.js';
import { amount, money } from '../lib/format.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

interface SalesRow {
  key: string;
  label: string;
  orders: number;
  units: number;
  revenue: string;
  cost: string;
  margin: string;
}
interface Sales {
  from: string;
  to: string;
  group_by: string;
  rows: SalesRow[];
  totals: { orders: number; units: number; revenue: string };
}
type Buckets = { current: string; d1_30: string; d31_60: string; d61_90: string; over_90: string };
interface Aging {
  as_of: string;
  buckets: Buckets;
  total: string;
  customers: ({ customer_id: number; name: string; total: string } & Buckets)[];
}
interface Kpis {
  as_of: string;
  revenue_ytd: string;
  gross_margin: number | null;
  dso_days: number | null;
  open_ar: string;
  inventory_value: string;
  open_orders: number;
  open_orders_value: string;
  lead_conversion_rate: number | null;
}

// Okabe–Ito: distinguishable with the common colour-vision deficiencies, in light and dark.
const BLUE = '#0072B2';
const AGING_COLOURS = ['#009E73', '#56B4E9', '#E69F00', '#D55E00', '#CC79A7'];
const AGING_LABELS: [keyof Buckets, string][] = [
  ['current', 'Current'],
  ['d1_30', '1–30 days'],
  ['d31_60', '31–60 days'],
  ['d61_90', '61–90 days'],
  ['over_90', 'Over 90 days'],
];
const TOP = 10;

interface Series {
  title: string;
  labels: string[];
  values: string[];
  colours: string | string[];
  columns: [string, string];
  horizontal?: boolean;
}
const charts: { canvas: HTMLCanvasElement; series: Series; chart?: Chart }[] = [];

function draw(entry: (typeof charts)[number]): void {
  entry.chart?.destroy();
  const style = getComputedStyle(document.documentElement);
  const fg = style.getPropertyValue('--fg-2').trim() || '#666';
  const grid = style.getPropertyValue('--border').trim() || '#ccc';
  const { series } = entry;
  entry.chart = new Chart(entry.canvas, {
    type: 'bar',
    data: {
      labels: series.labels,
      datasets: [{ label: series.columns[1], data: series.values.map(amount), backgroundColor: series.colours }],
    },
    options: {
      indexAxis: series.horizontal ? 'y' : 'x',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        tooltip: { callbacks: { label: (item) => `${series.columns[1]}: ${money(series.values[item.dataIndex])}` } },
      },
      scales: {
        x: { ticks: { color: fg }, grid: { color: grid } },
        y: { ticks: { color: fg, autoSkip: false }, grid: { color: grid } },
      },
    },
  });
}

function panel(id: string, series: Series): HTMLElement {
  const canvas = h('canvas', {
    role: 'img',
    'aria-label': `${series.title}: bar chart; the table below has the figures`,
  });
  const entry = { canvas, series };
  charts.push(entry);
  requestAnimationFrame(() => draw(entry));
  return h(
    'section',
    { class: 'card panel', 'data-panel': id },
    h('h2', {}, series.title),
    h('div', { class: 'chart' }, canvas),
    h(
      'details',
      { open: true },
      h('summary', {}, 'Table'),
      h(
        'div',
        { class: 'scroll' },
        h(
          'table',
          { 'data-table': id },
          h('caption', { class: 'sr-only' }, series.title),
          h('thead', {}, h('tr', {}, h('th', {}, series.columns[0]), h('th', { class: 'num' }, series.columns[1]))),
          h(
            'tbody',
            {},
            series.labels.map((label, i) =>
              h('tr', {}, h('td', {}, label), h('td', { class: 'num' }, money(series.values[i]))),
            ),
          ),
        ),
      ),
    ),
  );
}

const unavailable = (id: string, title: string, why: string) =>
  h(
    'section',
    { class: 'card panel', 'data-panel': id, 'data-unavailable': '' },
    h('h2', {}, title),
    h('p', { class: 'muted' }, why),
  );

const top = (s: Sales) => [...s.rows].sort((a, b) => amount(b.revenue) - amount(a.revenue)).slice(0, TOP);

function salesPanel(id: string, title: string, rows: SalesRow[], column: string, horizontal: boolean): HTMLElement {
  return panel(id, {
    title,
    labels: rows.map((r) => r.label),
    values: rows.map((r) => r.revenue),
    colours: BLUE,
    columns: [column, 'Revenue'],
    horizontal,
  });
}

function agingPanel(a: Aging): HTMLElement {
  return panel('aging', {
    title: `Receivables aging as of ${a.as_of}`,
    labels: AGING_LABELS.map(([, l]) => l),
    values: AGING_LABELS.map(([k]) => a.buckets[k]),
    colours: AGING_COLOURS,
    columns: ['Days past due', 'Open amount'],
  });
}

function kpiTiles(k: Kpis): HTMLElement {
  const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(1)} %`);
  const tile = (name: string, value: string) =>
    h('div', { class: 'kpi' }, h('div', { class: 'value' }, value), h('div', { class: 'name' }, name));
  return h(
    'section',
    { class: 'kpis', 'aria-label': `Key figures as of ${k.as_of}`, 'data-panel': 'kpis' },
    tile('Revenue YTD', money(k.revenue_ytd)),
    tile('Gross margin', pct(k.gross_margin)),
    tile('Open receivables', money(k.open_ar)),
    tile('DSO', k.dso_days === null ? 'n/a' : `${k.dso_days} days`),
    tile('Open orders', `${k.open_orders} · ${money(k.open_orders_value)}`),
    tile('Inventory value', money(k.inventory_value)),
    tile('Lead conversion', pct(k.lead_conversion_rate)),
  );
}

/** A year ending on the given day (or the shown report's own period). */
function period(data: Record<string, unknown>): { from: string; to: string } {
  if (typeof data.from === 'string' && typeof data.to === 'string') return { from: data.from, to: data.to };
  const to = typeof data.as_of === 'string' ? data.as_of : new Date().toISOString().slice(0, 10);
  const from = `${Number(to.slice(0, 4)) - 1}-${to.slice(5, 7)}-01`;
  return { from, to };
}

type Loaded<T> = { ok: true; value: T } | { ok: false; why: string };
async function load<T>(
  bridge: Bridge,
  have: Record<string, unknown>,
  matches: boolean,
  tool: string,
  args: Record<string, unknown>,
): Promise<Loaded<T>> {
  if (matches) return { ok: true, value: have as T };
  try {
    return { ok: true, value: await bridge.call<T>(tool, args) };
  } catch (error) {
    return { ok: false, why: (error as Error).message };
  }
}

async function show(data: Record<string, unknown>, bridge: Bridge): Promise<void> {
  charts.length = 0;
  const { from, to } = period(data);
  const grouped = (g: string) => data.group_by === g;
  const [months, customers, products, aging, kpis] = await Promise.all([
    load<Sales>(bridge, data, grouped('month'), 'sales_report', { from, to, group_by: 'month' }),
    load<Sales>(bridge, data, grouped('customer'), 'sales_report', { from, to, group_by: 'customer' }),
    load<Sales>(bridge, data, grouped('product'), 'sales_report', { from, to, group_by: 'product' }),
    load<Aging>(bridge, data, 'buckets' in data, 'ar_aging', { as_of: to }),
    load<Kpis>(bridge, data, 'revenue_ytd' in data, 'kpi_snapshot', { as_of: to }),
  ]);
  render(
    h('h1', {}, 'Sales and receivables'),
    h(
      'p',
      { class: 'muted' },
      `Sales ${from} to ${to}${months.ok ? ` · ${months.value.totals.orders} orders · revenue ${money(months.value.totals.revenue)}` : ''}`,
    ),
    kpis.ok ? kpiTiles(kpis.value) : null,
    h(
      'div',
      { class: 'panels' },
      months.ok
        ? salesPanel('months', 'Revenue by month', months.value.rows, 'Month', false)
        : unavailable('months', 'Revenue by month', months.why),
      aging.ok ? agingPanel(aging.value) : unavailable('aging', 'Receivables aging', aging.why),
      customers.ok
        ? salesPanel('customers', `Top ${TOP} customers`, top(customers.value), 'Customer', true)
        : unavailable('customers', 'Top customers', customers.why),
      products.ok
        ? salesPanel('products', `Top ${TOP} products`, top(products.value), 'Product', true)
        : unavailable('products', 'Top products', products.why),
    ),
  );
}

// Charts read the theme's colours when drawn: redraw when the host switches theme.
new MutationObserver(() => charts.forEach(draw)).observe(document.documentElement, {
  attributes: true,
  attributeFilter: ['data-theme', 'style'],
});

void connect(
  'dashboard',
  (data, bridge) => void show(data, bridge),
  (message) => render(errorBox(message)),
);
