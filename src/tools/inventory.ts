// inventory toolset: stock levels and movements, receiving, adjustments, suppliers, reordering.
import { z } from 'zod';
import { adjustmentValue, adjustStock, receiveStock } from '../domain/inventory/receiving.js';
import {
  getStock,
  listMovements,
  listStock,
  reconcileStock,
  reorderSuggestions,
} from '../domain/inventory/stock-queries.js';
import { createSupplier, linkSupplierProduct, listSuppliers } from '../domain/inventory/suppliers.js';
import { approvalNeed } from '../domain/platform/approval-policy.js';
import { defineTool } from './define.js';
import { email, id, isoTimestamp, moneyInput, moneyOutput, pageInput, pageOutput, text, timestamp } from './schemas.js';

const level = z.object({
  product_id: z.number().int(),
  sku: z.string(),
  name: z.string(),
  qty_on_hand: z.number().int(),
  reserved_qty: z.number().int(),
  available: z.number().int(),
  reorder_point: z.number().int(),
  below_reorder_point: z.boolean(),
  unit_cost: moneyOutput,
  stock_value: moneyOutput,
});
const supplier = z.object({
  id: z.number().int(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  products: z.number().int(),
  created_at: timestamp,
});
const read = { readOnlyHint: true, idempotentHint: true, openWorldHint: false } as const;
const write = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false } as const;
const showLevel = (s: z.output<typeof level>) =>
  `${s.sku}: ${s.qty_on_hand} on hand, ${s.reserved_qty} reserved, ${s.available} available (reorder at ${s.reorder_point})`;
const quantity = z.number().int().min(1, 'quantity must be at least 1').max(1_000_000);

export const getStockTool = defineTool({
  name: 'get_stock',
  title: 'Get stock level',
  description:
    'Stock of one product (by product_id or sku): on hand, reserved by confirmed orders, available, reorder point, unit cost and stock value.',
  toolset: 'inventory',
  input: z
    .strictObject({ product_id: id().optional(), sku: z.string().trim().min(1).max(64).optional() })
    .refine((v) => (v.product_id === undefined) !== (v.sku === undefined), 'pass exactly one of product_id or sku'),
  output: level,
  annotations: read,
  summary: showLevel,
  run: (ctx, input) => getStock(ctx.tx, input),
});

export const listStockTool = defineTool({
  name: 'list_stock',
  title: 'List stock levels',
  description:
    'Stock levels of active products; below_reorder_point=true lists only those whose available stock is at or below their reorder point. Paginated.',
  toolset: 'inventory',
  input: z.strictObject({ below_reorder_point: z.boolean().optional(), ...pageInput }),
  output: pageOutput(level),
  annotations: read,
  summary: (o) => `${o.items.length} product(s)${o.next_cursor ? ', more available' : ''}`,
  run: (ctx, input) => listStock(ctx.tx, input),
});

export const listStockMovementsTool = defineTool({
  name: 'list_stock_movements',
  title: 'List stock movements',
  description:
    'The stock ledger, newest first: every change with its reason (opening, purchase, sale, adjustment, write_off, return), reference and cost; optionally for one product and since a timestamp. Paginated.',
  toolset: 'inventory',
  input: z.strictObject({ product_id: id().optional(), since: isoTimestamp.optional(), ...pageInput }),
  output: pageOutput(
    z.object({
      id: z.number().int(),
      product_id: z.number().int(),
      sku: z.string(),
      change_qty: z.number().int(),
      reason: z.string(),
      ref_id: z.number().int().nullable(),
      unit_cost: moneyOutput.nullable(),
      note: z.string().nullable(),
      created_at: timestamp,
    }),
  ),
  annotations: read,
  summary: (o) => `${o.items.length} movement(s)${o.next_cursor ? ', more available' : ''}`,
  run: (ctx, input) => listMovements(ctx.tx, input),
});

export const receiveStockTool = defineTool({
  name: 'receive_stock',
  title: 'Receive stock',
  description:
    'Books goods received: a "purchase" stock movement and Dr 1200 Inventory / Cr 2000 Accounts Payable at quantity × unit_cost (default: the product\'s cost). A different unit cost moves the product cost to the weighted average.',
  toolset: 'inventory',
  input: z.strictObject({
    product_id: id(),
    quantity,
    unit_cost: moneyInput('unit cost').optional(),
    supplier_id: id().optional(),
    reference: z.string().trim().max(200).optional(),
  }),
  output: level.extend({ movement_id: z.number().int(), new_unit_cost: moneyOutput }),
  annotations: write,
  summary: (s) => `Received into ${s.sku}: now ${s.qty_on_hand} on hand at ${s.new_unit_cost}`,
  run: async (ctx, input) => {
    const r = await receiveStock(ctx.tx, input, ctx.user.id);
    return {
      ...(await getStock(ctx.tx, { product_id: input.product_id })),
      movement_id: r.movement_id,
      new_unit_cost: r.new_cost,
    };
  },
});

export const adjustStockTool = defineTool({
  name: 'adjust_stock',
  title: 'Adjust stock',
  description:
    'Corrects stock after a count (kind "count", change_qty positive or negative) or writes stock off (kind "write_off", change_qty negative), with a reason. Booked at product cost: gains Dr 1200 / Cr 4900, losses Dr 6000 / Cr 1200. Any adjustment, gain or loss of either kind, worth more than the approval threshold (default 1,000.00; value = units × cost, or × price when the cost is 0) waits for approval by another inventory user or an admin (APPROVAL_REQUIRED; see list_approval_policies). Reserved stock cannot be removed.',
  toolset: 'inventory',
  input: z.strictObject({
    product_id: id(),
    change_qty: z
      .number()
      .int()
      .refine((v) => v !== 0, 'change_qty must not be 0')
      .refine((v) => Math.abs(v) <= 1_000_000, 'change_qty is too large'),
    reason: text(500, 'reason'),
    kind: z.enum(['count', 'write_off']).default('count'),
  }),
  output: level.extend({ movement_id: z.number().int(), value: moneyOutput }),
  annotations: { ...write, destructiveHint: true },
  approval: async (ctx, input) => approvalNeed(ctx.tx, 'adjust_stock', await adjustmentValue(ctx.tx, input)),
  summary: (s) => `Adjusted ${s.sku} (value ${s.value}): now ${s.qty_on_hand} on hand, ${s.available} available`,
  run: async (ctx, input) => {
    const r = await adjustStock(ctx.tx, input, ctx.user.id);
    return {
      ...(await getStock(ctx.tx, { product_id: input.product_id })),
      movement_id: r.movement_id,
      value: r.value,
    };
  },
});

export const createSupplierTool = defineTool({
  name: 'create_supplier',
  title: 'Create supplier',
  description: 'Adds a supplier (who we buy from).',
  toolset: 'inventory',
  input: z.strictObject({
    name: text(200, 'name'),
    email: email.optional(),
    phone: z.string().trim().max(50).optional(),
  }),
  output: supplier,
  annotations: write,
  summary: (s) => `Created supplier ${s.id}: ${s.name}`,
  run: (ctx, input) => createSupplier(ctx.tx, input),
});

export const listSuppliersTool = defineTool({
  name: 'list_suppliers',
  title: 'List suppliers',
  description: 'Lists suppliers with how many products each supplies. Paginated.',
  toolset: 'inventory',
  input: z.strictObject({ ...pageInput }),
  output: pageOutput(supplier),
  annotations: read,
  summary: (o) => `${o.items.length} supplier(s)${o.next_cursor ? ', more available' : ''}`,
  run: (ctx, input) => listSuppliers(ctx.tx, input),
});

export const linkSupplierProductTool = defineTool({
  name: 'link_supplier_product',
  title: 'Link supplier to product',
  description:
    'Records that a supplier supplies a product, optionally with their SKU, unit cost and lead time in days. Linking again updates the details.',
  toolset: 'inventory',
  input: z.strictObject({
    supplier_id: id(),
    product_id: id(),
    supplier_sku: z.string().trim().max(64).optional(),
    unit_cost: moneyInput('supplier unit cost').optional(),
    lead_time_days: z.number().int().min(0).max(365).optional(),
  }),
  output: z.object({
    supplier_id: z.number().int(),
    product_id: z.number().int(),
    supplier_sku: z.string().nullable(),
    unit_cost: moneyOutput.nullable(),
    lead_time_days: z.number().int().nullable(),
  }),
  annotations: { ...write, idempotentHint: true },
  summary: (l) => `Supplier ${l.supplier_id} supplies product ${l.product_id}`,
  run: (ctx, input) => linkSupplierProduct(ctx.tx, input),
});

export const reorderSuggestionsTool = defineTool({
  name: 'reorder_suggestions',
  title: 'Reorder suggestions',
  description:
    'Products whose available stock is at or below the reorder point, with a suggested quantity (back up to twice the reorder point), grouped by their cheapest linked supplier with an estimated cost.',
  toolset: 'inventory',
  input: z.strictObject({}),
  output: z.object({
    products: z.number().int(),
    suppliers: z.array(
      z.object({
        supplier_id: z.number().int().nullable(),
        supplier_name: z.string().nullable(),
        estimated_cost: moneyOutput,
        items: z.array(
          z.object({
            product_id: z.number().int(),
            sku: z.string(),
            name: z.string(),
            available: z.number().int(),
            reorder_point: z.number().int(),
            suggested_qty: z.number().int(),
            unit_cost: moneyOutput,
            line_cost: moneyOutput,
            lead_time_days: z.number().int().nullable(),
          }),
        ),
      }),
    ),
  }),
  annotations: read,
  summary: (o) => {
    const unlinked = o.suppliers.find((g) => g.supplier_id === null)?.items.length ?? 0;
    const suppliers = o.suppliers.filter((g) => g.supplier_id !== null).length;
    return `${o.products} product(s) to reorder from ${suppliers} supplier(s)${unlinked ? `; ${unlinked} of them have no linked supplier` : ''}`;
  },
  run: (ctx) => reorderSuggestions(ctx.tx),
});

export const reconcileStockTool = defineTool({
  name: 'reconcile_stock',
  title: 'Reconcile stock',
  description:
    "Checks every product's stock on hand against the sum of its movements and lists any difference (there should be none).",
  toolset: 'inventory',
  input: z.strictObject({}),
  output: z.object({
    ok: z.boolean(),
    products_checked: z.number().int(),
    discrepancies: z.array(
      z.object({
        product_id: z.number().int(),
        sku: z.string(),
        qty_on_hand: z.number().int(),
        movements_total: z.number().int(),
        difference: z.number().int(),
      }),
    ),
  }),
  annotations: read,
  summary: (o) =>
    o.ok
      ? `All ${o.products_checked} products reconcile`
      : `${o.discrepancies.length} of ${o.products_checked} product(s) differ from their movements`,
  run: (ctx) => reconcileStock(ctx.tx),
});

export const inventoryTools = [
  getStockTool,
  listStockTool,
  listStockMovementsTool,
  receiveStockTool,
  adjustStockTool,
  createSupplierTool,
  listSuppliersTool,
  linkSupplierProductTool,
  reorderSuggestionsTool,
  reconcileStockTool,
];
