// sales toolset: customers, customer memory and the product catalogue.
import { z } from 'zod';
import { CUSTOMER_DETAIL, getCustomer } from '../domain/sales/customer-detail.js';
import { forgetCustomerFact, getCustomerMemory, rememberCustomerFact } from '../domain/sales/customer-memory.js';
import { createCustomer, requireCustomer, searchCustomers, updateCustomer } from '../domain/sales/customers.js';
import {
  createProduct,
  requireProduct,
  requireProductBySku,
  searchProducts,
  updateProduct,
} from '../domain/sales/products.js';
import { invalid } from '../domain/shared/errors.js';
import { defineTool } from './define.js';
import { email, id, moneyInput, moneyOutput, nullableText, pageInput, pageOutput, text, timestamp } from './schemas.js';

const customer = z.object({
  id: z.number().int(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});
const fact = z.object({ key: z.string(), value: z.string(), updated_at: timestamp });
const phone = z
  .string()
  .trim()
  .max(50, 'phone must be at most 50 characters')
  .regex(/^[0-9+()./\s-]*$/, 'phone may hold digits, spaces and + ( ) . / - only');
const factKey = text(100, 'key');

const write = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false } as const;
const read = { readOnlyHint: true, idempotentHint: true, openWorldHint: false } as const;

export const createCustomerTool = defineTool({
  name: 'create_customer',
  title: 'Create customer',
  description: 'Creates a customer (the account you sell to). Returns the new customer with its id.',
  toolset: 'sales',
  input: z.strictObject({ name: text(200, 'name'), email: email.optional(), phone: phone.optional() }),
  output: customer,
  annotations: write,
  summary: (c) => `Created customer ${c.id}: ${c.name}`,
  run: (ctx, input) => createCustomer(ctx.tx, input),
});

export const updateCustomerTool = defineTool({
  name: 'update_customer',
  title: 'Update customer',
  description: "Changes a customer's name, email or phone. Pass only the fields to change; null clears email or phone.",
  toolset: 'sales',
  input: z.strictObject({
    customer_id: id(),
    name: text(200, 'name').optional(),
    email: email.nullable().optional(),
    phone: phone.nullable().optional(),
  }),
  output: customer,
  annotations: { ...write, idempotentHint: true },
  summary: (c) => `Updated customer ${c.id}: ${c.name}`,
  run: (ctx, { customer_id, ...patch }) => {
    if (Object.keys(patch).length === 0) throw invalid('Nothing to update: pass at least one of name, email, phone');
    return updateCustomer(ctx.tx, customer_id, patch);
  },
});

export const getCustomerTool = defineTool({
  name: 'get_customer',
  title: 'Get customer',
  description:
    'Shows one customer with what is remembered about them (memory), their open orders (draft or confirmed) and their open balance (unpaid posted invoices minus unapplied payments).',
  toolset: 'sales',
  view: 'customer',
  input: z.strictObject({ customer_id: id() }),
  output: customer.extend({
    memory: z.array(fact),
    open_orders: z.array(
      z.object({ id: z.number().int(), status: z.string(), total: moneyOutput, created_at: timestamp }),
    ),
    open_balance: moneyOutput,
  }),
  annotations: read,
  summary: (c) => `Customer ${c.id}: ${c.name}; ${c.open_orders.length} open order(s); open balance ${c.open_balance}`,
  answer: { sql: CUSTOMER_DETAIL, params: (input) => [input.customer_id] },
  run: (ctx, input) => getCustomer(ctx.tx, input.customer_id),
});

export const searchCustomersTool = defineTool({
  name: 'search_customers',
  title: 'Search customers',
  description:
    'Finds customers whose name or e-mail contains the query, ignoring case and accents ("muller" finds "Müller"). Without a query lists all customers by name. Paginated.',
  toolset: 'sales',
  input: z.strictObject({ query: z.string().trim().max(200).optional(), ...pageInput }),
  output: pageOutput(customer),
  annotations: read,
  summary: (o) => `${o.items.length} customer(s)${o.next_cursor ? ', more available' : ''}`,
  run: (ctx, input) => searchCustomers(ctx.tx, { ...input, query: input.query || undefined }),
});

export const rememberCustomerFactTool = defineTool({
  name: 'remember_customer_fact',
  title: 'Remember a customer fact',
  description:
    'Stores a fact about a customer under a key (e.g. key "preferred_contact", value "phone after 2pm"). The same key overwrites the old value.',
  toolset: 'sales',
  input: z.strictObject({ customer_id: id(), key: factKey, value: text(4000, 'value') }),
  output: fact.extend({ customer_id: z.number().int() }),
  annotations: { ...write, idempotentHint: true },
  summary: (f) => `Remembered ${f.key} for customer ${f.customer_id}`,
  run: async (ctx, input) => ({
    customer_id: input.customer_id,
    ...(await rememberCustomerFact(ctx.tx, input.customer_id, input.key, input.value)),
  }),
});

export const getCustomerMemoryTool = defineTool({
  name: 'get_customer_memory',
  title: 'Get customer memory',
  description: 'Lists every remembered fact (key, value) about a customer.',
  toolset: 'sales',
  input: z.strictObject({ customer_id: id() }),
  output: z.object({ customer_id: z.number().int(), facts: z.array(fact) }),
  annotations: read,
  summary: (o) => `${o.facts.length} fact(s) about customer ${o.customer_id}`,
  run: async (ctx, input) => {
    await requireCustomer(ctx.tx, input.customer_id);
    return { customer_id: input.customer_id, facts: await getCustomerMemory(ctx.tx, input.customer_id) };
  },
});

export const forgetCustomerFactTool = defineTool({
  name: 'forget_customer_fact',
  title: 'Forget a customer fact',
  description: 'Deletes one remembered fact about a customer by its key.',
  toolset: 'sales',
  input: z.strictObject({ customer_id: id(), key: factKey }),
  output: fact.extend({ customer_id: z.number().int(), forgotten: z.literal(true) }),
  annotations: { ...write, destructiveHint: true, idempotentHint: true },
  summary: (f) => `Forgot ${f.key} for customer ${f.customer_id}`,
  run: async (ctx, input) => ({
    customer_id: input.customer_id,
    forgotten: true as const,
    ...(await forgetCustomerFact(ctx.tx, input.customer_id, input.key)),
  }),
});

const product = z.object({
  id: z.number().int(),
  sku: z.string(),
  name: z.string(),
  price: moneyOutput,
  cost: moneyOutput,
  description: z.string().nullable(),
  active: z.boolean(),
  qty_on_hand: z.number().int(),
  reserved_qty: z.number().int(),
  available: z.number().int(),
  reorder_point: z.number().int(),
  created_at: timestamp,
  updated_at: timestamp,
});
const sku = z
  .string()
  .trim()
  .min(1, 'sku must not be empty')
  .max(64, 'sku must be at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'sku may hold letters, digits and . _ / - only');
const reorderPoint = z.number().int().min(0).max(1_000_000_000);

export const createProductTool = defineTool({
  name: 'create_product',
  title: 'Create product',
  description:
    'Adds a product to the catalogue with its SKU, name, selling price and optionally unit cost, description and reorder point. Stock starts at 0; receive stock to add units.',
  toolset: 'sales',
  input: z.strictObject({
    sku,
    name: text(200, 'name'),
    price: moneyInput('selling price'),
    cost: moneyInput('unit cost').optional(),
    description: z.string().trim().max(4000).optional(),
    reorder_point: reorderPoint.optional(),
  }),
  output: product,
  annotations: { ...write, idempotentHint: true },
  summary: (p) => `Created product ${p.id}: ${p.sku} ${p.name} at ${p.price}`,
  run: (ctx, input) => createProduct(ctx.tx, input),
});

export const updateProductTool = defineTool({
  name: 'update_product',
  title: 'Update product',
  description:
    "Changes a product's SKU, name, price, cost, description, reorder point or active flag. Pass only the fields to change. Prices already on orders do not change.",
  toolset: 'sales',
  input: z.strictObject({
    product_id: id(),
    sku: sku.optional(),
    name: text(200, 'name').optional(),
    price: moneyInput('selling price').optional(),
    cost: moneyInput('unit cost').optional(),
    description: nullableText(4000, 'description').optional(),
    reorder_point: reorderPoint.optional(),
    active: z.boolean().optional(),
  }),
  output: product,
  annotations: { ...write, idempotentHint: true },
  summary: (p) => `Updated product ${p.id}: ${p.sku} ${p.name} at ${p.price}`,
  run: (ctx, { product_id, ...patch }) => {
    if (Object.keys(patch).length === 0) throw invalid('Nothing to update: pass at least one field to change');
    return updateProduct(ctx.tx, product_id, patch);
  },
});

export const getProductTool = defineTool({
  name: 'get_product',
  title: 'Get product',
  description:
    'Shows one product by product_id (or by sku) with price, cost and stock: on hand, reserved by confirmed orders, available, reorder point.',
  toolset: 'sales',
  input: z
    .strictObject({ product_id: id().optional(), sku: sku.optional() })
    .refine((v) => (v.product_id === undefined) !== (v.sku === undefined), 'pass exactly one of product_id or sku'),
  output: product,
  annotations: read,
  summary: (p) => `Product ${p.id}: ${p.sku} ${p.name} at ${p.price}, ${p.available} available`,
  run: (ctx, input) =>
    input.product_id !== undefined ? requireProduct(ctx.tx, input.product_id) : requireProductBySku(ctx.tx, input.sku!),
});

export const searchProductsTool = defineTool({
  name: 'search_products',
  title: 'Search products',
  description:
    'Finds active products whose SKU, name or description contains the query, ignoring case and accents. Without a query lists the whole catalogue by name. Paginated.',
  toolset: 'sales',
  input: z.strictObject({
    query: z.string().trim().max(200).optional(),
    include_inactive: z.boolean().optional(),
    ...pageInput,
  }),
  output: pageOutput(product),
  annotations: read,
  summary: (o) => `${o.items.length} product(s)${o.next_cursor ? ', more available' : ''}`,
  run: (ctx, input) => searchProducts(ctx.tx, { ...input, query: input.query || undefined }),
});

export const salesTools = [
  createCustomerTool,
  updateCustomerTool,
  getCustomerTool,
  searchCustomersTool,
  rememberCustomerFactTool,
  getCustomerMemoryTool,
  forgetCustomerFactTool,
  createProductTool,
  updateProductTool,
  getProductTool,
  searchProductsTool,
];
