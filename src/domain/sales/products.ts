// The product catalogue. Creating a product also opens its stock row, so every product has one.
import type { Tx } from '../../db/types.js';
import { notFound } from '../shared/errors.js';
import { formatMoney, money, parseMoney } from '../shared/money.js';
import { decodeCursor, toPage, type Page } from '../shared/pagination.js';
import { escapeLike } from './customers.js';

export interface Product {
  id: number;
  sku: string;
  name: string;
  price: string;
  cost: string;
  description: string | null;
  active: boolean;
  qty_on_hand: number;
  reserved_qty: number;
  available: number;
  reorder_point: number;
  created_at: string;
  updated_at: string;
}

export interface ProductInput {
  sku: string;
  name: string;
  price: string | number;
  cost?: string | number;
  description?: string | null;
  reorder_point?: number;
}

export interface ProductPatch {
  sku?: string;
  name?: string;
  price?: string | number;
  cost?: string | number;
  description?: string | null;
  reorder_point?: number;
  active?: boolean;
}

const SELECT = `select p.id, p.sku, p.name, p.price, p.cost, p.description, p.active,
    s.qty_on_hand, s.reserved_qty, s.qty_on_hand - s.reserved_qty as available, s.reorder_point,
    p.created_at, p.updated_at
  from products p join stock s on s.product_id = p.id`;

type ProductRow = Product;
const toProduct = (r: ProductRow): Product => ({ ...r, price: money(r.price), cost: money(r.cost) });
const amount = (v: string | number | undefined, field: string) =>
  v === undefined ? null : formatMoney(parseMoney(v, field));

export async function createProduct(tx: Tx, input: ProductInput): Promise<Product> {
  const price = parseMoney(input.price, 'price');
  const [row] = await tx.query<{ id: number }>(
    `insert into products (sku, name, price, cost, description) values ($1, $2, $3, coalesce($4::numeric, 0), $5) returning id`,
    [input.sku, input.name, formatMoney(price), amount(input.cost, 'cost'), input.description ?? null],
  );
  await tx.query('insert into stock (product_id, reorder_point) values ($1, $2)', [row!.id, input.reorder_point ?? 0]);
  return requireProduct(tx, row!.id);
}

export async function updateProduct(tx: Tx, id: number, patch: ProductPatch): Promise<Product> {
  const [row] = await tx.query<{ id: number }>(
    `update products set
       sku = coalesce($2, sku), name = coalesce($3, name),
       price = coalesce($4::numeric, price), cost = coalesce($5::numeric, cost),
       description = case when $6::boolean then $7 else description end,
       active = coalesce($8, active), updated_at = now()
     where id = $1 returning id`,
    [
      id,
      patch.sku ?? null,
      patch.name ?? null,
      amount(patch.price, 'price'),
      amount(patch.cost, 'cost'),
      patch.description !== undefined,
      patch.description ?? null,
      patch.active ?? null,
    ],
  );
  if (!row) throw notFound('Product', id);
  if (patch.reorder_point !== undefined) {
    await tx.query('update stock set reorder_point = $2, updated_at = now() where product_id = $1', [
      id,
      patch.reorder_point,
    ]);
  }
  return requireProduct(tx, id);
}

export async function requireProduct(tx: Tx, id: number): Promise<Product> {
  const [row] = await tx.query<ProductRow>(`${SELECT} where p.id = $1`, [id]);
  if (!row) throw notFound('Product', id);
  return toProduct(row);
}

export async function requireProductBySku(tx: Tx, sku: string): Promise<Product> {
  const [row] = await tx.query<ProductRow>(`${SELECT} where p.sku = $1`, [sku]);
  if (!row) throw notFound('Product with SKU', sku);
  return toProduct(row);
}

export interface SearchProductsInput {
  query?: string;
  include_inactive?: boolean;
  limit: number;
  cursor?: string;
}

/** SKU, name or description contains the query (case- and accent-insensitive); ordered by name. */
export async function searchProducts(tx: Tx, input: SearchProductsInput): Promise<Page<Product>> {
  const after = decodeCursor(input.cursor, ['string', 'number']);
  const pattern = input.query ? `%${escapeLike(input.query)}%` : null;
  const rows = await tx.query<ProductRow & { sort_key: string }>(
    `${SELECT.replace('select ', 'select erp_fold(p.name) as sort_key, ')}
     where ($1::text is null or erp_fold(p.name) like erp_fold($1) or erp_fold(p.sku) like erp_fold($1)
            or erp_fold(p.description) like erp_fold($1))
       and ($2::boolean or p.active)
       and ($3::text is null or (erp_fold(p.name), p.id) > ($3, $4::int))
     order by erp_fold(p.name), p.id limit $5`,
    [pattern, input.include_inactive ?? false, after?.[0] ?? null, after?.[1] ?? null, input.limit + 1],
  );
  return toPage(
    rows,
    input.limit,
    (r) => [r.sort_key, r.id],
    ({ sort_key: _, ...p }) => toProduct(p),
  );
}
