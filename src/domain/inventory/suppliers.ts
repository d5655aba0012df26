// Suppliers and which products they supply (at what cost and lead time).
import type { Tx } from '../../db/types.js';
import { notFound } from '../shared/errors.js';
import { money } from '../shared/money.js';
import { decodeCursor, toPage, type Page } from '../shared/pagination.js';

export interface Supplier {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  products: number;
  created_at: string;
}

const SELECT = `select s.id, s.name, s.email, s.phone, (select count(*)::int from supplier_products sp where sp.supplier_id = s.id) as products, s.created_at from suppliers s`;

export async function createSupplier(
  tx: Tx,
  input: { name: string; email?: string; phone?: string },
): Promise<Supplier> {
  const [row] = await tx.query<{ id: number }>(
    'insert into suppliers (name, email, phone) values ($1, $2, $3) returning id',
    [input.name, input.email ?? null, input.phone ?? null],
  );
  return (await tx.query<Supplier>(`${SELECT} where s.id = $1`, [row!.id]))[0]!;
}

export async function listSuppliers(tx: Tx, input: { limit: number; cursor?: string }): Promise<Page<Supplier>> {
  const after = decodeCursor(input.cursor, ['number']);
  const rows = await tx.query<Supplier>(`${SELECT} where ($1::int is null or s.id > $1) order by s.id limit $2`, [
    after?.[0] ?? null,
    input.limit + 1,
  ]);
  return toPage(
    rows,
    input.limit,
    (r) => [r.id],
    (r) => r,
  );
}

export interface LinkInput {
  supplier_id: number;
  product_id: number;
  supplier_sku?: string;
  unit_cost?: string;
  lead_time_days?: number;
}

export async function linkSupplierProduct(tx: Tx, input: LinkInput) {
  const [s] = await tx.query('select 1 from suppliers where id = $1', [input.supplier_id]);
  if (!s) throw notFound('Supplier', input.supplier_id);
  const [p] = await tx.query('select 1 from products where id = $1', [input.product_id]);
  if (!p) throw notFound('Product', input.product_id);
  const [row] = await tx.query<{
    supplier_id: number;
    product_id: number;
    supplier_sku: string | null;
    unit_cost: string | null;
    lead_time_days: number | null;
  }>(
    `insert into supplier_products (supplier_id, product_id, supplier_sku, unit_cost, lead_time_days) values ($1, $2, $3, $4, $5)
     on conflict (supplier_id, product_id) do update set supplier_sku = coalesce(excluded.supplier_sku, supplier_products.supplier_sku),
       unit_cost = coalesce(excluded.unit_cost, supplier_products.unit_cost), lead_time_days = coalesce(excluded.lead_time_days, supplier_products.lead_time_days)
     returning supplier_id, product_id, supplier_sku, unit_cost, lead_time_days`,
    [
      input.supplier_id,
      input.product_id,
      input.supplier_sku ?? null,
      input.unit_cost ?? null,
      input.lead_time_days ?? null,
    ],
  );
  return { ...row!, unit_cost: row!.unit_cost === null ? null : money(row!.unit_cost) };
}
