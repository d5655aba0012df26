// The workload of issue 14: many clients at once creating, confirming, cancelling, fulfilling,
// invoicing and posting orders, and recording, allocating and crediting money, all on one
// customer and two products, so that every call contends for the same rows.
import type { CallToolResult } from '@modelcontextprotocol/client';
import { postEntry } from '../../src/domain/finance/ledger.js';
import { recordMovement } from '../../src/domain/inventory/stock.js';
import type { Db } from '../../src/db/types.js';
import type { TestClient } from '../helpers/mcp.js';

export interface RaceOutcome {
  succeeded: Record<string, number>;
  refused: Record<string, number>;
  /** Calls that failed with a code a correct server never returns here (INTERNAL, …). */
  unexpected: string[];
  /**
   * Refusals that only the database's own checks (sql/008) or its deadlock detector give: the
   * domain code should have seen the conflict first, from rows it had locked.
   */
  caughtByDatabase: string[];
}

const DATABASE_REFUSAL =
  /^(Payment \d+ would be allocated|Credit note \d+ .* would apply|Invoice \d+ .* would have .* applied|Journal entry \d+ does not balance|Another change touched)/;

/** Refusals a correct server gives when a concurrent call got there first. */
const EXPECTED_REFUSALS = new Set(['CONFLICT', 'INSUFFICIENT_STOCK', 'APPROVAL_REQUIRED']);

/** Small seeded generator, so each client's choice of calls is the same on every run. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Shared {
  customer: number;
  products: number[];
  draftOrders: number[];
  confirmedOrders: number[];
  invoiceableOrders: number[];
  draftInvoices: number[];
  postedInvoices: number[];
  payments: number[];
}

async function setUp(db: Db, admin: TestClient): Promise<Shared> {
  const customer = (await admin.ok<{ id: number }>('create_customer', { name: 'Shared Books Ltd' })).id;
  const products = [
    (await admin.ok<{ id: number }>('create_product', { sku: 'RACE-A', name: 'Anvil', price: '19.00', cost: '7.00' }))
      .id,
    (await admin.ok<{ id: number }>('create_product', { sku: 'RACE-B', name: 'Bellows', price: '6.50', cost: '2.00' }))
      .id,
  ];
  // Little stock, so confirmations and fulfilments compete for it too.
  await db.transaction(async (tx) => {
    await recordMovement(tx, { product_id: products[0]!, change_qty: 40, reason: 'opening', unit_cost: '7.00' });
    await recordMovement(tx, { product_id: products[1]!, change_qty: 40, reason: 'opening', unit_cost: '2.00' });
    await postEntry(tx, {
      entry_date: '2026-01-01',
      memo: 'opening stock',
      source: 'opening',
      lines: [
        { account: '1200', debit: 36_000n },
        { account: '3000', credit: 36_000n },
      ],
    });
  });
  return {
    customer,
    products,
    draftOrders: [],
    confirmedOrders: [],
    invoiceableOrders: [],
    draftInvoices: [],
    postedInvoices: [],
    payments: [],
  };
}

const take = (list: number[], r: number) =>
  list.length === 0 ? undefined : list.splice(Math.floor(r * list.length), 1)[0];
const pick = (list: number[], r: number) => (list.length === 0 ? undefined : list[Math.floor(r * list.length)]);

type Step = (c: TestClient, s: Shared, r: () => number) => Promise<[string, CallToolResult] | undefined>;

/** Each step makes one call (or none when there is nothing to call it on) and updates the pools. */
const STEPS: [weight: number, step: Step][] = [
  [
    3,
    async (c, s, r) => {
      const res = await c.call('create_order', {
        customer_id: s.customer,
        items: [{ product_id: s.products[Math.floor(r() * 2)]!, quantity: 1 + Math.floor(r() * 3) }],
      });
      if (!res.isError) s.draftOrders.push((res.structuredContent as { id: number }).id);
      return ['create_order', res];
    },
  ],
  [
    3,
    async (c, s, r) => {
      const id = take(s.draftOrders, r());
      if (id === undefined) return undefined;
      const res = await c.call('confirm_order', { order_id: id });
      if (!res.isError) {
        s.confirmedOrders.push(id);
        s.invoiceableOrders.push(id);
      }
      return ['confirm_order', res];
    },
  ],
  [
    1,
    async (c, s, r) => {
      const id = r() < 0.5 ? take(s.draftOrders, r()) : take(s.confirmedOrders, r());
      if (id === undefined) return undefined;
      return ['cancel_order', await c.call('cancel_order', { order_id: id, reason: 'changed mind' })];
    },
  ],
  [
    2,
    async (c, s, r) => {
      const id = take(s.confirmedOrders, r());
      return id === undefined ? undefined : ['fulfill_order', await c.call('fulfill_order', { order_id: id })];
    },
  ],
  [
    2,
    async (c, s, r) => {
      const id = take(s.invoiceableOrders, r());
      if (id === undefined) return undefined;
      const res = await c.call('create_invoice', { customer_id: s.customer, order_ids: [id] });
      if (!res.isError) s.draftInvoices.push((res.structuredContent as { id: number }).id);
      return ['create_invoice', res];
    },
  ],
  [
    3,
    async (c, s) => {
      const res = await c.call('create_invoice', {
        customer_id: s.customer,
        lines: [{ description: 'Service', quantity: 1, unit_price: '19.00' }],
      });
      if (!res.isError) s.draftInvoices.push((res.structuredContent as { id: number }).id);
      return ['create_invoice', res];
    },
  ],
  [
    5,
    async (c, s, r) => {
      const id = take(s.draftInvoices, r());
      if (id === undefined) return undefined;
      const res = await c.call('post_invoice', { invoice_id: id });
      if (!res.isError) s.postedInvoices.push(id);
      return ['post_invoice', res];
    },
  ],
  [
    5,
    async (c, s) => {
      const res = await c.call('record_payment', { customer_id: s.customer, amount: '13.00', method: 'bank' });
      if (!res.isError) s.payments.push((res.structuredContent as { id: number }).id);
      return ['record_payment', res];
    },
  ],
  [
    2,
    async (c, s, r) => {
      const invoice = pick(s.postedInvoices, r());
      if (invoice === undefined) return undefined;
      const res = await c.call('record_payment', {
        customer_id: s.customer,
        amount: '13.00',
        method: 'card',
        allocations: [{ invoice_id: invoice, amount: '6.00' }],
      });
      if (!res.isError) s.payments.push((res.structuredContent as { id: number }).id);
      return ['record_payment', res];
    },
  ],
  [
    4,
    async (c, s, r) => {
      const payment = pick(s.payments, r());
      const invoice = pick(s.postedInvoices, r());
      if (payment === undefined || invoice === undefined) return undefined;
      return [
        'allocate_payment',
        await c.call('allocate_payment', { payment_id: payment, invoice_id: invoice, amount: '6.00' }),
      ];
    },
  ],
  [
    2,
    async (c, s, r) => {
      const invoice = pick(s.postedInvoices, r());
      if (invoice === undefined) return undefined;
      const res = await c.call('issue_credit_note', { invoice_id: invoice, amount: '4.00', reason: 'goodwill' });
      return ['issue_credit_note', res];
    },
  ],
];

const TOTAL_WEIGHT = STEPS.reduce((sum, [w]) => sum + w, 0);

function chooseStep(r: number): Step {
  let at = r * TOTAL_WEIGHT;
  for (const [weight, step] of STEPS) {
    at -= weight;
    if (at < 0) return step;
  }
  return STEPS[STEPS.length - 1]![1];
}

/** Every client makes `calls` calls (plus the approvals they need), all clients at once. */
export async function raceOnOneCustomer(
  db: Db,
  clients: TestClient[],
  approver: TestClient,
  options: { calls: number },
): Promise<RaceOutcome> {
  const shared = await setUp(db, clients[0]!);
  const outcome: RaceOutcome = { succeeded: {}, refused: {}, unexpected: [], caughtByDatabase: [] };
  const note = (tool: string, res: CallToolResult) => {
    const error = res._meta?.['erp-mcp/error'] as { code: string; message: string } | undefined;
    if (!res.isError) outcome.succeeded[tool] = (outcome.succeeded[tool] ?? 0) + 1;
    else if (error && EXPECTED_REFUSALS.has(error.code))
      outcome.refused[`${tool} ${error.code}`] = (outcome.refused[`${tool} ${error.code}`] ?? 0) + 1;
    else outcome.unexpected.push(`${tool}: ${JSON.stringify(res.content[0])}`);
    if (error && DATABASE_REFUSAL.test(error.message)) outcome.caughtByDatabase.push(`${tool}: ${error.message}`);
    return error;
  };
  await Promise.all(
    clients.map(async (client, i) => {
      const random = prng(i + 1);
      for (let calls = 0; calls < options.calls; ) {
        const made = await chooseStep(random())(client, shared, random);
        if (!made) continue;
        calls += 1;
        const error = note(made[0], made[1]);
        // Credit notes run when another user approves them: that call races like the others.
        const approvalId = (made[1]._meta?.['erp-mcp/error'] as { details?: { approval_id?: number } } | undefined)
          ?.details?.approval_id;
        if (error?.code === 'APPROVAL_REQUIRED' && approvalId !== undefined) {
          note(
            'decide_approval',
            await approver.call('decide_approval', { approval_id: approvalId, decision: 'approve' }),
          );
        }
      }
    }),
  );
  return outcome;
}
