// Sales orders: draft → confirmed (stock reserved) → fulfilled (stock shipped, COGS posted),
// or draft|confirmed → cancelled (reservation released). Totals are exact:
// line_total = round_half_up(quantity × price × (1 − discount), 2), total = Σ line totals.
import type { Tx } from '../../db/types.js';
import { ACCOUNTS } from '../finance/accounts.js';
import { entryCtes } from '../finance/ledger.js';
import { today } from '../shared/clock.js';
import { conflict, invalid, notFound } from '../shared/errors.js';
import { sent } from '../shared/sent.js';
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
import { getOrder, lockOrder, toOrder, type Order, type OrderStatus } from './order-queries.js';

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

/** Sent at once; checked (checkedProduct) in the items' order once every answer is in. */
function readProduct(tx: Tx, item: OrderItemInput): Promise<ProductRow | undefined> {
  return sent(
    (item.product_id !== undefined
      ? tx.query<ProductRow>('select id, sku, name, price, active from products where id = $1', [item.product_id])
      : tx.query<ProductRow>('select id, sku, name, price, active from products where sku = $1', [item.sku])
    ).then(([row]) => row),
  );
}

function checkedProduct(item: OrderItemInput, row: ProductRow | undefined): ProductRow {
  if (!row)
    throw item.product_id !== undefined
      ? notFound('Product', item.product_id)
      : notFound('Product with SKU', item.sku!);
  if (!row.active) throw conflict(`Product ${row.sku} (${row.name}) is inactive and cannot be ordered`);
  return row;
}

interface OrderLineRow {
  product_id: number;
  quantity: number;
  price: string;
  discount: string;
  line_total: string;
}

function priceLines(
  items: OrderItemInput[],
  products: (ProductRow | undefined)[],
): { lines: OrderLineRow[]; total: Cents } {
  const lines = [];
  let total = 0n;
  for (const [i, item] of items.entries()) {
    const product = checkedProduct(item, products[i]);
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
  return { lines, total };
}

// The order and its lines in one statement, returning the order as getOrder shows it: a new order
// is a draft on no invoice, so nothing else needs reading back.
const INSERT_ORDER = `with new_order as (
       insert into orders (customer_id, total) values ($1, $2)
       returning id, customer_id, status, total, created_at, confirmed_at, fulfilled_at, cancelled_at, cancel_reason
     ), new_items as (
       insert into order_items (order_id, product_id, quantity, price, discount, line_total)
       select new_order.id, l.product_id, l.quantity, l.price, l.discount, l.line_total
       from new_order, unnest($3::int[], $4::int[], $5::numeric[], $6::numeric[], $7::numeric[]) with ordinality
         as l(product_id, quantity, price, discount, line_total, n) order by l.n
       returning id, product_id, quantity, price, discount, line_total
     )
     select o.id, o.customer_id, c.name as customer_name, o.status, o.total, o.created_at, o.confirmed_at,
       o.fulfilled_at, o.cancelled_at, o.cancel_reason, null::int as invoice_id,
       (select json_agg(json_build_object('id', i.id, 'product_id', i.product_id, 'sku', p.sku, 'name', p.name,
          'quantity', i.quantity, 'price', i.price::text, 'discount', i.discount::text, 'line_total', i.line_total::text)
          order by i.id)
        from new_items i join products p on p.id = i.product_id) as items
     from new_order o join customers c on c.id = o.customer_id`;

/** Creates a draft order and returns it as getOrder would: its reads in one round trip, its writes in the next. */
export async function placeOrder(tx: Tx, customerId: number, items: OrderItemInput[]): Promise<Order> {
  if (items.length === 0) throw invalid('An order needs at least one item');
  const customer = sent(requireCustomer(tx, customerId));
  const products = items.map((item) => readProduct(tx, item));
  await customer;
  const { lines, total } = priceLines(items, await Promise.all(products));
  const [row] = await tx.query<Order>(INSERT_ORDER, [
    customerId,
    formatMoney(total),
    lines.map((l) => l.product_id),
    lines.map((l) => l.quantity),
    lines.map((l) => l.price),
    lines.map((l) => l.discount),
    lines.map((l) => l.line_total),
  ]);
  return toOrder(row!);
}

export async function createOrder(tx: Tx, customerId: number, items: OrderItemInput[]): Promise<number> {
  return (await placeOrder(tx, customerId, items)).id;
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

// The order's quantities per product, none unless the order is in the status a change starts from.
const ORDER_ITEMS_NEEDED = `select product_id, sum(quantity)::int as quantity from order_items where order_id = $1
       and exists (select 1 from orders where id = $1 and status = $2) group by product_id`;

/**
 * The order's quantities per product, with their stock rows locked in product order (no
 * deadlocks); none, and no lock, unless the order is `status` (the order's row lock is held).
 */
function lockNeeds(tx: Tx, orderId: number, status: OrderStatus): Promise<Need[]> {
  return sent(
    tx.query<Need>(
      `with need as (${ORDER_ITEMS_NEEDED})
       select n.product_id, p.sku, p.name, n.quantity, s.qty_on_hand as on_hand, s.reserved_qty as reserved, p.cost
       from need n join stock s on s.product_id = n.product_id join products p on p.id = n.product_id
       order by n.product_id for update of s`,
      [orderId, status],
    ),
  );
}

// The order's own writes are sent with its lock, before its status is known, so a whole call
// takes one round trip and the commit: each does nothing unless the order is in the status it
// changes from, and whatever the checks refuse rolls back.
//
// Stock rows are shared by every order of a product, so they are locked last: once the checks
// have passed, the stock statements are sent as the call's final ones, and the gate's audit row
// and commit follow them without waiting for an answer. A best seller's stock row is then held
// for the database's time on one batch, not for a round trip and whatever else this process is
// doing meanwhile (issue 18). Reserving checks what is available in the same statement
// (erp_reserve_stock, sql/018): a shortage answers INSUFFICIENT_STOCK and rolls the call back.

/** Confirms a draft order and returns it confirmed. */
export async function confirmOrder(tx: Tx, orderId: number): Promise<Order> {
  const order = lockOrder(tx, orderId);
  void tx.query("update orders set status = 'confirmed', confirmed_at = now() where id = $1 and status = 'draft'", [
    orderId,
  ]);
  const confirmed = sent(getOrder(tx, orderId));
  requireStatus(orderId, (await order).status, ['draft'], 'confirmed');
  // Once every answer of the first round trip is in, so that the reservation leaves in one write
  // with the audit row and the commit, however the answers were split into packets.
  const shown = await confirmed;
  void sent(tx.query('select erp_reserve_stock($1)', [orderId]));
  return shown;
}

// Ships the order's stock (the reservation released, the goods out, a movement per product at
// its cost) and posts cost of goods sold from the same rows: one statement, one snapshot of cost.
const SHIP = `with need as (
       select n.product_id, n.quantity, p.cost from (${ORDER_ITEMS_NEEDED}) n
       join stock s on s.product_id = n.product_id join products p on p.id = n.product_id
     ), shipped as (
       update stock s set qty_on_hand = s.qty_on_hand - need.quantity, reserved_qty = s.reserved_qty - need.quantity,
         updated_at = now()
       from need where s.product_id = need.product_id
     ), moved as (
       insert into stock_movements (product_id, change_qty, reason, ref_id, unit_cost, created_by)
       select product_id, -quantity, 'sale', $1, cost, $3 from need order by product_id
     ), cogs as (
       select sum(cost * quantity) as amount from need having sum(cost * quantity) > 0
     ), ${entryCtes({
       date: '$4',
       memo: '$5',
       source: "'sale'",
       sourceId: '$1',
       createdBy: '$3',
       reverses: 'null',
       accounts: 'array[$6, $7]',
       debits: 'array[(select amount from cogs), 0]',
       credits: 'array[0, (select amount from cogs)]',
       when: 'exists (select 1 from cogs)',
     })}
     select 1`;

/**
 * Ships a confirmed order: releases its reservation, moves stock out and posts COGS at cost
 * (Dr 5000 / Cr 1200; the entry balances by construction, and sql/008 checks it at commit).
 * Returns the order fulfilled.
 */
export async function fulfillOrder(tx: Tx, orderId: number, userId: number | null, date = today()): Promise<Order> {
  const order = lockOrder(tx, orderId);
  void tx.query("update orders set status = 'fulfilled', fulfilled_at = now() where id = $1 and status = 'confirmed'", [
    orderId,
  ]);
  const fulfilled = sent(getOrder(tx, orderId));
  requireStatus(orderId, (await order).status, ['confirmed'], 'fulfilled');
  // Stock last (see above), once the first round trip's answers are all in; the order is fulfilled
  // by this transaction, on the row it holds.
  const shown = await fulfilled;
  void lockNeeds(tx, orderId, 'fulfilled');
  void sent(
    tx.query(SHIP, [
      orderId,
      'fulfilled',
      userId,
      date,
      `Cost of goods sold, order ${orderId}`,
      ACCOUNTS.costOfGoodsSold,
      ACCOUNTS.inventory,
    ]),
  );
  return shown;
}

export async function cancelOrder(tx: Tx, orderId: number, reason: string | null): Promise<void> {
  const order = await lockOrder(tx, orderId);
  requireStatus(orderId, order.status, ['draft', 'confirmed'], 'cancelled');
  if (order.status === 'confirmed') {
    for (const n of await lockNeeds(tx, orderId, 'confirmed')) {
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
