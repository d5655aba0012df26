// Sales orders: draft → confirmed (stock reserved) → fulfilled (stock shipped, COGS posted),
// or draft|confirmed → cancelled (reservation released). Totals are exact:
// line_total = round_half_up(quantity × price × (1 − discount), 2), total = Σ line totals.
import type { Tx } from '../../db/types.js';
import { ACCOUNTS } from '../finance/accounts.js';
import { postEntry } from '../finance/ledger.js';
import { recordMovement } from '../inventory/stock.js';
import { today } from '../shared/clock.js';
import { conflict, DomainError, invalid, notFound } from '../shared/errors.js';
import {
  divRoundHalfUp,
  formatFraction,
  formatMoney,
  parseFraction,
  parseMoney,
  withinBooks,
  type Cents,
} from '../shared/money.js';
import { requireCustomer } from './customers.js';
import { lockOrder, type OrderStatus } from './order-queries.js';

export interface OrderItemInput {
  product_id?: number;
  sku?: string;
  quantity: number;
  price?: string | number;
  discount?: string | number;
}

export function lineTotal(quantity: number, price: Cents, discountBp: bigint): Cents {
  return divRoundHalfUp(BigInt(quantity) * price * (10_000n - discountBp), 10_000n);
}

interface ProductRow {
  id: number;
  sku: string;
  name: string;
  price: string;
  active: boolean;
}

async function resolveProduct(tx: Tx, item: OrderItemInput): Promise<ProductRow> {
  const [row] =
    item.product_id !== undefined
      ? await tx.query<ProductRow>('select id, sku, name, price, active from products where id = $1', [item.product_id])
      : await tx.query<ProductRow>('select id, sku, name, price, active from products where sku = $1', [item.sku]);
  if (!row)
    throw item.product_id !== undefined
      ? notFound('Product', item.product_id)
      : notFound('Product with SKU', item.sku!);
  if (!row.active) throw conflict(`Product ${row.sku} (${row.name}) is inactive and cannot be ordered`);
  return row;
}

export async function createOrder(tx: Tx, customerId: number, items: OrderItemInput[]): Promise<number> {
  if (items.length === 0) throw invalid('An order needs at least one item');
  await requireCustomer(tx, customerId);
  const lines = [];
  let total = 0n;
  for (const [i, item] of items.entries()) {
    const product = await resolveProduct(tx, item);
    const price = item.price === undefined ? parseMoney(product.price) : parseMoney(item.price, 'price');
    if (price < 0n) throw invalid('price must not be negative');
    const discount = parseFraction(item.discount, 'discount');
    const amount = withinBooks(lineTotal(item.quantity, price, discount), `items[${i}]: quantity × price`);
    total = withinBooks(total + amount, 'the order total');
    lines.push({
      product_id: product.id,
      quantity: item.quantity,
      price: formatMoney(price),
      discount: formatFraction(discount),
      line_total: formatMoney(amount),
    });
  }
  const [order] = await tx.query<{ id: number }>(
    'insert into orders (customer_id, total) values ($1, $2) returning id',
    [customerId, formatMoney(total)],
  );
  await tx.query(
    `insert into order_items (order_id, product_id, quantity, price, discount, line_total)
     select $1, l.product_id, l.quantity, l.price, l.discount, l.line_total
     from unnest($2::int[], $3::int[], $4::numeric[], $5::numeric[], $6::numeric[]) with ordinality
       as l(product_id, quantity, price, discount, line_total, n) order by l.n`,
    [
      order!.id,
      lines.map((l) => l.product_id),
      lines.map((l) => l.quantity),
      lines.map((l) => l.price),
      lines.map((l) => l.discount),
      lines.map((l) => l.line_total),
    ],
  );
  return order!.id;
}

function requireStatus(orderId: number, status: OrderStatus, allowed: OrderStatus[], action: string): void {
  if (!allowed.includes(status)) {
    throw conflict(`Order ${orderId} is ${status}; only ${allowed.join(' or ')} orders can be ${action}`);
  }
}

interface Need {
  product_id: number;
  sku: string;
  name: string;
  quantity: number;
  on_hand: number;
  reserved: number;
  cost: string;
}

/** The order's quantities per product, with their stock rows locked in product order (no deadlocks). */
async function lockNeeds(tx: Tx, orderId: number): Promise<Need[]> {
  return tx.query<Need>(
    `with need as (select product_id, sum(quantity)::int as quantity from order_items where order_id = $1 group by product_id)
     select n.product_id, p.sku, p.name, n.quantity, s.qty_on_hand as on_hand, s.reserved_qty as reserved, p.cost
     from need n join stock s on s.product_id = n.product_id join products p on p.id = n.product_id
     order by n.product_id for update of s`,
    [orderId],
  );
}

export async function confirmOrder(tx: Tx, orderId: number): Promise<void> {
  const order = await lockOrder(tx, orderId);
  requireStatus(orderId, order.status, ['draft'], 'confirmed');
  const needs = await lockNeeds(tx, orderId);
  const short = needs.filter((n) => n.on_hand - n.reserved < n.quantity);
  if (short.length > 0) {
    const list = short
      .map((n) => `${n.name} (${n.sku}): need ${n.quantity}, available ${n.on_hand - n.reserved}`)
      .join('; ');
    throw new DomainError('INSUFFICIENT_STOCK', `Order ${orderId} cannot be confirmed, not enough stock of ${list}`, {
      short: short.map((n) => ({
        product_id: n.product_id,
        sku: n.sku,
        name: n.name,
        needed: n.quantity,
        available: n.on_hand - n.reserved,
      })),
    });
  }
  // Sent, not awaited (here and below): nothing reads their answer, the transaction keeps them in
  // order and fails if one fails (src/db/types.ts), and they travel with the next statement.
  for (const n of needs) {
    void tx.query('update stock set reserved_qty = reserved_qty + $2, updated_at = now() where product_id = $1', [
      n.product_id,
      n.quantity,
    ]);
  }
  void tx.query("update orders set status = 'confirmed', confirmed_at = now() where id = $1", [orderId]);
}

/** Ships a confirmed order: releases its reservation, moves stock out and posts COGS at cost. */
export async function fulfillOrder(tx: Tx, orderId: number, userId: number | null, date = today()): Promise<void> {
  const order = await lockOrder(tx, orderId);
  requireStatus(orderId, order.status, ['confirmed'], 'fulfilled');
  let cogs = 0n;
  for (const n of await lockNeeds(tx, orderId)) {
    void tx.query('update stock set reserved_qty = reserved_qty - $2 where product_id = $1', [
      n.product_id,
      n.quantity,
    ]);
    await recordMovement(tx, {
      product_id: n.product_id,
      change_qty: -n.quantity,
      reason: 'sale',
      ref_id: orderId,
      unit_cost: n.cost,
      created_by: userId,
    });
    cogs += parseMoney(n.cost) * BigInt(n.quantity);
  }
  // Sent together with the order's update; awaited, as its checks run before its statement.
  const posting =
    cogs > 0n
      ? postEntry(tx, {
          entry_date: date,
          memo: `Cost of goods sold, order ${orderId}`,
          source: 'sale',
          source_id: orderId,
          created_by: userId,
          lines: [
            { account: ACCOUNTS.costOfGoodsSold, debit: cogs },
            { account: ACCOUNTS.inventory, credit: cogs },
          ],
        })
      : null;
  void tx.query("update orders set status = 'fulfilled', fulfilled_at = now() where id = $1", [orderId]);
  await posting;
}

export async function cancelOrder(tx: Tx, orderId: number, reason: string | null): Promise<void> {
  const order = await lockOrder(tx, orderId);
  requireStatus(orderId, order.status, ['draft', 'confirmed'], 'cancelled');
  if (order.status === 'confirmed') {
    for (const n of await lockNeeds(tx, orderId)) {
      void tx.query('update stock set reserved_qty = reserved_qty - $2, updated_at = now() where product_id = $1', [
        n.product_id,
        n.quantity,
      ]);
    }
  }
  void tx.query("update orders set status = 'cancelled', cancelled_at = now(), cancel_reason = $2 where id = $1", [
    orderId,
    reason,
  ]);
}
