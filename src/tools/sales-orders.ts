// sales toolset, part two: the order life cycle (draft → confirmed → fulfilled | cancelled).
import { z } from 'zod';
import { getOrder, listOrders, ORDER_DETAIL, ORDER_STATUSES } from '../domain/sales/order-queries.js';
import { cancelOrder, confirmOrder, fulfillOrder, placeOrder } from '../domain/sales/orders.js';
import { defineTool } from './define.js';
import { id, isoDate, moneyInput, moneyOutput, pageInput, pageOutput, timestamp } from './schemas.js';

const summary = z.object({
  id: z.number().int(),
  customer_id: z.number().int(),
  customer_name: z.string(),
  status: z.enum(ORDER_STATUSES),
  total: moneyOutput,
  created_at: timestamp,
  confirmed_at: timestamp.nullable(),
  fulfilled_at: timestamp.nullable(),
  cancelled_at: timestamp.nullable(),
  cancel_reason: z.string().nullable(),
  invoice_id: z.number().int().nullable().describe('the invoice this order was billed on, if any'),
});
const order = summary.extend({
  items: z.array(
    z.object({
      id: z.number().int(),
      product_id: z.number().int(),
      sku: z.string(),
      name: z.string(),
      quantity: z.number().int(),
      price: moneyOutput,
      discount: z.string().describe('fraction, e.g. "0.1000" = 10 %'),
      line_total: moneyOutput,
    }),
  ),
});

const item = z
  .strictObject({
    product_id: id().optional(),
    sku: z.string().trim().min(1).max(64).optional(),
    quantity: z.number().int().min(1, 'quantity must be at least 1').max(1_000_000),
    price: moneyInput('unit price; defaults to the catalogue price').optional(),
    discount: z
      .union([z.string().max(10), z.number().min(0).max(1)])
      .optional()
      .describe('fraction below 1 with ≤ 4 decimals: 0.15 = 15 %'),
  })
  .refine(
    (i) => (i.product_id === undefined) !== (i.sku === undefined),
    'each item needs exactly one of product_id or sku',
  );

const orderId = z.strictObject({ order_id: id() });
const show = (o: z.output<typeof order>) =>
  `Order ${o.id} for ${o.customer_name}: ${o.status}, ${o.items.length} line(s), total ${o.total}`;
const mutation = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false } as const;

export const createOrderTool = defineTool({
  name: 'create_order',
  title: 'Create sales order',
  description:
    'Creates a draft sales order for a customer. Each item names a product by product_id or sku, a quantity, and optionally a unit price (defaults to the catalogue price, which is then kept on the line) and a discount fraction (0.1 = 10 %). Line total = quantity × price × (1 − discount), rounded half-up to cents. Drafts reserve no stock: confirm_order does.',
  toolset: 'sales',
  input: z.strictObject({
    customer_id: id(),
    items: z.array(item).min(1, 'an order needs at least one item').max(200),
  }),
  output: order,
  annotations: mutation,
  summary: show,
  run: (ctx, input) => placeOrder(ctx.tx, input.customer_id, input.items),
});

export const confirmOrderTool = defineTool({
  name: 'confirm_order',
  title: 'Confirm sales order',
  description:
    'Confirms a draft order and reserves its stock. Fails with INSUFFICIENT_STOCK, naming every short product, when available stock (on hand − reserved) is too low; then nothing is reserved.',
  toolset: 'sales',
  input: orderId,
  output: order,
  annotations: { ...mutation, idempotentHint: true },
  summary: show,
  run: (ctx, input) => confirmOrder(ctx.tx, input.order_id),
});

export const fulfillOrderTool = defineTool({
  name: 'fulfill_order',
  title: 'Fulfil (ship) sales order',
  description:
    'Ships a confirmed order: stock leaves the warehouse (movements with reason "sale"), the reservation is released, and cost of goods sold is posted (Dr 5000 / Cr 1200 at product cost).',
  toolset: 'sales',
  input: orderId,
  output: order,
  annotations: { ...mutation, idempotentHint: true },
  summary: show,
  run: (ctx, input) => fulfillOrder(ctx.tx, input.order_id, ctx.user.id),
});

export const cancelOrderTool = defineTool({
  name: 'cancel_order',
  title: 'Cancel sales order',
  description:
    'Cancels a draft or confirmed order, releasing any reserved stock. Fulfilled orders cannot be cancelled.',
  toolset: 'sales',
  input: z.strictObject({ order_id: id(), reason: z.string().trim().max(1000).optional() }),
  output: order,
  annotations: { ...mutation, destructiveHint: true, idempotentHint: true },
  summary: show,
  run: async (ctx, input) => {
    await cancelOrder(ctx.tx, input.order_id, input.reason || null);
    return getOrder(ctx.tx, input.order_id);
  },
});

export const getOrderTool = defineTool({
  name: 'get_order',
  title: 'Get sales order',
  description:
    'Shows one order with its customer, status history, lines (product, quantity, price, discount, line total), total and invoice.',
  toolset: 'sales',
  input: orderId,
  output: order,
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  summary: show,
  answer: { sql: ORDER_DETAIL, params: (input) => [input.order_id] },
  run: (ctx, input) => getOrder(ctx.tx, input.order_id),
});

export const listOrdersTool = defineTool({
  name: 'list_orders',
  title: 'List sales orders',
  description:
    'Lists orders, newest first, filtered by customer_id, status (draft, confirmed, fulfilled, cancelled) and creation date range from/to (YYYY-MM-DD, inclusive). Paginated.',
  toolset: 'sales',
  input: z.strictObject({
    customer_id: id().optional(),
    status: z.enum(ORDER_STATUSES).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    ...pageInput,
  }),
  output: pageOutput(summary),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  summary: (o) => `${o.items.length} order(s)${o.next_cursor ? ', more available' : ''}`,
  run: (ctx, input) => listOrders(ctx.tx, input),
});

export const orderTools = [
  createOrderTool,
  confirmOrderTool,
  fulfillOrderTool,
  cancelOrderTool,
  getOrderTool,
  listOrdersTool,
];
