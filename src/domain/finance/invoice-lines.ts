// Invoice lines: priced exactly (line_total = round_half_up(qty × unit_price × (1 − discount), 2);
// tax = round_half_up(line_total × rate, 2) per line) and written set-based.
import type { Tx } from '../../db/types.js';
import { invalid } from '../shared/errors.js';
import { divRoundHalfUp, formatMoney, parseMoney, withinBooks, type Cents } from '../shared/money.js';

export interface LineInput {
  description: string;
  quantity: number | string;
  unit_price: number | string;
}

export interface InvoiceLineRow {
  description: string;
  quantity: string;
  unit_price: string;
  discount: string;
  line_total: string;
  tax_amount: string;
  order_id: number | null;
  product_id: number | null;
}

const QTY_RE = /^\d{1,11}(?:\.\d{1,3})?$/;

/** Quantity in thousandths (numeric(14,3)). */
export function parseQuantity(value: number | string): bigint {
  const text = String(value).trim();
  if (!QTY_RE.test(text) || Number(text) <= 0)
    throw invalid(
      `quantity must be a positive number with at most 3 decimals, got ${JSON.stringify(text.slice(0, 20))}`,
    );
  const [whole, frac = ''] = text.split('.');
  return BigInt(whole!) * 1000n + BigInt(frac.padEnd(3, '0'));
}

const formatQuantity = (milli: bigint) => `${milli / 1000n}.${(milli % 1000n).toString().padStart(3, '0')}`;

export function priceLine(
  qtyMilli: bigint,
  price: Cents,
  discount: bigint,
  rate: bigint,
): { total: Cents; tax: Cents } {
  const total = divRoundHalfUp(qtyMilli * price * (10_000n - discount), 10_000_000n);
  return { total, tax: divRoundHalfUp(total * rate, 10_000n) };
}

export function linesFromInput(lines: LineInput[], rate: bigint): InvoiceLineRow[] {
  return lines.map((l, i) => {
    const qty = parseQuantity(l.quantity);
    const price = parseMoney(l.unit_price, 'unit_price');
    if (price < 0n) throw invalid('unit_price must not be negative');
    const priced = priceLine(qty, price, 0n, rate);
    withinBooks(priced.total + priced.tax, `lines[${i}]: quantity × unit_price with tax`);
    return {
      description: l.description,
      quantity: formatQuantity(qty),
      unit_price: formatMoney(price),
      discount: '0.0000',
      line_total: formatMoney(priced.total),
      tax_amount: formatMoney(priced.tax),
      order_id: null,
      product_id: null,
    };
  });
}

/** Inserts invoice lines from the eight arrays in parameters $first… (see lineParams). */
export const linesInsert = (invoiceId: string, first: number) => {
  const [d, q, p, di, t, x, o, pr] = Array.from({ length: 8 }, (_, i) => `$${first + i}`);
  return `insert into invoice_lines (invoice_id, description, quantity, unit_price, discount, line_total, tax_amount, order_id, product_id)
     select ${invoiceId}, l.d, l.q, l.p, l.di, l.t, l.x, l.o, l.pr
     from unnest(${d}::text[], ${q}::numeric[], ${p}::numeric[], ${di}::numeric[], ${t}::numeric[], ${x}::numeric[], ${o}::int[], ${pr}::int[]) with ordinality
       as l(d, q, p, di, t, x, o, pr, n) order by l.n`;
};

export const lineParams = (lines: InvoiceLineRow[]) => {
  const col = <K extends keyof InvoiceLineRow>(k: K) => lines.map((l) => l[k]);
  return [
    col('description'),
    col('quantity'),
    col('unit_price'),
    col('discount'),
    col('line_total'),
    col('tax_amount'),
    col('order_id'),
    col('product_id'),
  ];
};

const INSERT_LINES = linesInsert('$1', 2);

export async function insertLines(tx: Tx, invoiceId: number, lines: InvoiceLineRow[]): Promise<void> {
  await tx.query(INSERT_LINES, [invoiceId, ...lineParams(lines)]);
}

export const sumLines = (lines: InvoiceLineRow[]) => {
  const subtotal = lines.reduce((s, l) => s + parseMoney(l.line_total), 0n);
  const tax = lines.reduce((s, l) => s + parseMoney(l.tax_amount), 0n);
  return { subtotal, tax, total: withinBooks(subtotal + tax, 'the invoice total') };
};
