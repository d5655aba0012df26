// Reading orders: one order with its lines, lists filtered by customer, status and date.
import type { Tx } from '../../db/types.js';
import { readDetail } from '../shared/detail.js';
import { notFound } from '../shared/errors.js';
import { money } from '../shared/money.js';
import { sent } from '../shared/sent.js';
import { decodeCursor, toPage, type Page } from '../shared/pagination.js';

export const ORDER_STATUSES = ['draft', 'confirmed', 'fulfilled', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface OrderSummary {
  id: number;
  customer_id: number;
  customer_name: string;
  status: OrderStatus;
  total: string;
  created_at: string;
  confirmed_at: string | null;
  fulfilled_at: string | null;
  cancelled_at: string | null;
  cancel_reason: string | null;
  invoice_id: number | null;
}

export interface OrderLine {
  id: number;
  product_id: number;
  sku: string;
  name: string;
  quantity: number;
  price: string;
  discount: string;
  line_total: string;
}

export interface Order extends OrderSummary {
  items: OrderLine[];
}

const SUMMARY = `select o.id, o.customer_id, c.name as customer_name, o.status, o.total, o.created_at, o.confirmed_at,
    o.fulfilled_at, o.cancelled_at, o.cancel_reason, io.invoice_id
  from orders o join customers c on c.id = o.customer_id left join invoice_orders io on io.order_id = o.id`;

const toSummary = (r: OrderSummary): OrderSummary => ({ ...r, total: money(r.total) });

/** Locks the order row for a state change and returns its status. */
export function lockOrder(tx: Tx, orderId: number): Promise<{ id: number; status: OrderStatus; customer_id: number }> {
  return sent(
    tx
      .query<{ id: number; status: OrderStatus; customer_id: number }>(
        'select id, status, customer_id from orders where id = $1 for update',
        [orderId],
      )
      .then(([row]) => {
        if (!row) throw notFound('Order', orderId);
        return row;
      }),
  );
}

/**
 * One order with its lines as one SQL expression of $1, the order's id: a json document in the
 * shape of Order, or null when there is no such order. get_order answers with it in one statement
 * together with its audit row (sql/019); getOrder reads the same.
 */
export const ORDER_DETAIL = `(select json_build_object(
    'id', o.id, 'customer_id', o.customer_id, 'customer_name', c.name, 'status', o.status, 'total', o.total::text,
    'created_at', erp_json_time(o.created_at), 'confirmed_at', erp_json_time(o.confirmed_at),
    'fulfilled_at', erp_json_time(o.fulfilled_at), 'cancelled_at', erp_json_time(o.cancelled_at),
    'cancel_reason', o.cancel_reason, 'invoice_id', io.invoice_id,
    'items', coalesce((select json_agg(json_build_object('id', i.id, 'product_id', i.product_id, 'sku', p.sku,
        'name', p.name, 'quantity', i.quantity, 'price', i.price::text, 'discount', i.discount::text,
        'line_total', i.line_total::text) order by i.id)
      from order_items i join products p on p.id = i.product_id where i.order_id = o.id), '[]'))
  from orders o join customers c on c.id = o.customer_id left join invoice_orders io on io.order_id = o.id
  where o.id = $1)`;

export function getOrder(tx: Tx, orderId: number): Promise<Order> {
  return readDetail(tx, ORDER_DETAIL, 'Order', orderId);
}

/** An order row with its lines as the database gives them, amounts as shown to clients. */
export const toOrder = (order: Order): Order => ({
  ...toSummary(order),
  items: order.items.map((i) => ({ ...i, price: money(i.price), line_total: money(i.line_total) })),
});

export interface ListOrdersInput {
  customer_id?: number;
  status?: OrderStatus;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

/** Newest first; from/to are inclusive dates of creation (UTC). */
export async function listOrders(tx: Tx, input: ListOrdersInput): Promise<Page<OrderSummary>> {
  const before = decodeCursor(input.cursor, ['number']);
  const rows = await tx.query<OrderSummary>(
    `${SUMMARY}
     where ($1::int is null or o.customer_id = $1) and ($2::text is null or o.status = $2)
       and ($3::date is null or o.created_at >= $3::date) and ($4::date is null or o.created_at < $4::date + 1)
       and ($5::int is null or o.id < $5)
     order by o.id desc limit $6`,
    [
      input.customer_id ?? null,
      input.status ?? null,
      input.from ?? null,
      input.to ?? null,
      before?.[0] ?? null,
      input.limit + 1,
    ],
  );
  return toPage(rows, input.limit, (r) => [r.id], toSummary);
}
