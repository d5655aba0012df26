// Reading stock: levels, movements, what to reorder, and the reconciliation of stock with its
// movements. Suggested reorder quantity = max(1, 2 × reorder_point − available): it brings a
// product back to twice its reorder point (demo/documents/operations/reordering.md).
import type { Tx } from '../../db/types.js';
import { notFound } from '../shared/errors.js';
import { formatMoney, money, parseMoney } from '../shared/money.js';
import { decodeCursor, toPage, type Page } from '../shared/pagination.js';

export interface StockLevel {
  product_id: number;
  sku: string;
  name: string;
  qty_on_hand: number;
  reserved_qty: number;
  available: number;
  reorder_point: number;
  below_reorder_point: boolean;
  unit_cost: string;
  stock_value: string;
}

const LEVEL = `select p.id as product_id, p.sku, p.name, s.qty_on_hand, s.reserved_qty, s.qty_on_hand - s.reserved_qty as available,
    s.reorder_point, (s.qty_on_hand - s.reserved_qty) <= s.reorder_point as below_reorder_point, p.cost as unit_cost,
    (s.qty_on_hand * p.cost)::numeric(14,2) as stock_value
  from products p join stock s on s.product_id = p.id`;
const toLevel = (r: StockLevel): StockLevel => ({
  ...r,
  unit_cost: money(r.unit_cost),
  stock_value: money(r.stock_value),
});

export async function getStock(tx: Tx, by: { product_id?: number; sku?: string }): Promise<StockLevel> {
  const [row] =
    by.product_id !== undefined
      ? await tx.query<StockLevel>(`${LEVEL} where p.id = $1`, [by.product_id])
      : await tx.query<StockLevel>(`${LEVEL} where p.sku = $1`, [by.sku]);
  if (!row)
    throw by.product_id !== undefined ? notFound('Product', by.product_id) : notFound('Product with SKU', by.sku!);
  return toLevel(row);
}

export async function listStock(
  tx: Tx,
  input: { below_reorder_point?: boolean; limit: number; cursor?: string },
): Promise<Page<StockLevel>> {
  const after = decodeCursor(input.cursor, ['number']);
  const rows = await tx.query<StockLevel>(
    `${LEVEL} where p.active and ($1::boolean is null or ((s.qty_on_hand - s.reserved_qty) <= s.reorder_point) = $1)
       and ($2::int is null or p.id > $2) order by p.id limit $3`,
    [input.below_reorder_point ?? null, after?.[0] ?? null, input.limit + 1],
  );
  return toPage(rows, input.limit, (r) => [r.product_id], toLevel);
}

export interface Movement {
  id: number;
  product_id: number;
  sku: string;
  change_qty: number;
  reason: string;
  ref_id: number | null;
  unit_cost: string | null;
  note: string | null;
  created_at: string;
}

export async function listMovements(
  tx: Tx,
  input: { product_id?: number; since?: string; limit: number; cursor?: string },
): Promise<Page<Movement>> {
  const before = decodeCursor(input.cursor, ['number']);
  const rows = await tx.query<Movement>(
    `select m.id, m.product_id, p.sku, m.change_qty, m.reason, m.ref_id, m.unit_cost, m.note, m.created_at
     from stock_movements m join products p on p.id = m.product_id
     where ($1::int is null or m.product_id = $1) and ($2::timestamptz is null or m.created_at >= $2) and ($3::int is null or m.id < $3)
     order by m.id desc limit $4`,
    [input.product_id ?? null, input.since ?? null, before?.[0] ?? null, input.limit + 1],
  );
  return toPage(
    rows,
    input.limit,
    (r) => [r.id],
    (r) => ({ ...r, unit_cost: r.unit_cost === null ? null : money(r.unit_cost) }),
  );
}

export interface ReorderLine {
  product_id: number;
  sku: string;
  name: string;
  available: number;
  reorder_point: number;
  suggested_qty: number;
  unit_cost: string;
  line_cost: string;
  lead_time_days: number | null;
}

/** A product to reorder as the query reads it: its line before costing, and its cheapest supplier. */
interface Suggestion extends Omit<ReorderLine, 'line_cost'> {
  supplier_id: number | null;
  supplier_name: string | null;
}

/** Products at or below their reorder point, grouped under their cheapest linked supplier. */
export async function reorderSuggestions(tx: Tx) {
  const rows = await tx.query<Suggestion>(
    `select p.id as product_id, p.sku, p.name, s.qty_on_hand - s.reserved_qty as available, s.reorder_point,
       greatest(1, 2 * s.reorder_point - (s.qty_on_hand - s.reserved_qty)) as suggested_qty,
       coalesce(best.unit_cost, p.cost) as unit_cost, best.lead_time_days, best.supplier_id, best.name as supplier_name
     from products p join stock s on s.product_id = p.id
     left join lateral (select sp.supplier_id, sp.unit_cost, sp.lead_time_days, su.name from supplier_products sp join suppliers su on su.id = sp.supplier_id
                        where sp.product_id = p.id order by sp.unit_cost nulls last, sp.lead_time_days nulls last, sp.supplier_id limit 1) best on true
     where p.active and s.qty_on_hand - s.reserved_qty <= s.reorder_point
     order by best.name nulls last, p.sku`,
  );
  const groups = new Map<
    string,
    { supplier_id: number | null; supplier_name: string | null; items: ReorderLine[]; estimated_cost: bigint }
  >();
  for (const r of rows) {
    const key = String(r.supplier_id);
    const group = groups.get(key) ?? {
      supplier_id: r.supplier_id,
      supplier_name: r.supplier_name,
      items: [],
      estimated_cost: 0n,
    };
    const lineCost = parseMoney(r.unit_cost) * BigInt(r.suggested_qty);
    group.items.push({
      product_id: r.product_id,
      sku: r.sku,
      name: r.name,
      available: r.available,
      reorder_point: r.reorder_point,
      suggested_qty: r.suggested_qty,
      unit_cost: money(r.unit_cost),
      line_cost: formatMoney(lineCost),
      lead_time_days: r.lead_time_days,
    });
    group.estimated_cost += lineCost;
    groups.set(key, group);
  }
  return {
    suppliers: [...groups.values()].map((g) => ({ ...g, estimated_cost: formatMoney(g.estimated_cost) })),
    products: rows.length,
  };
}

/** Every product whose qty_on_hand differs from the sum of its movements (should be none). */
export async function reconcileStock(tx: Tx) {
  const off = await tx.query<{ product_id: number; sku: string; qty_on_hand: number; movements_total: number }>(
    `select p.id as product_id, p.sku, s.qty_on_hand, coalesce(m.total, 0)::int as movements_total
     from products p join stock s on s.product_id = p.id
     left join (select product_id, sum(change_qty) as total from stock_movements group by product_id) m on m.product_id = p.id
     where s.qty_on_hand <> coalesce(m.total, 0) order by p.id`,
  );
  const [checked] = await tx.query<{ n: number }>('select count(*)::int as n from stock');
  return {
    ok: off.length === 0,
    products_checked: checked!.n,
    discrepancies: off.map((d) => ({ ...d, difference: d.qty_on_hand - d.movements_total })),
  };
}
