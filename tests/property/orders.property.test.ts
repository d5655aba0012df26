// Random sequences of order, receiving and adjustment operations keep every stock and ledger invariant, and the stock
// figures match a simple model of what should have happened.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { postEntry } from '../../src/domain/finance/ledger.js';
import { recordMovement } from '../../src/domain/inventory/stock.js';
import { parseMoney } from '../../src/domain/shared/money.js';
import { dbKinds } from '../helpers/db.js';
import { expectInvariants } from '../helpers/invariants.js';
import { useServer } from '../helpers/mcp.js';

type Op =
  | { kind: 'create'; lines: { p: number; qty: number; discount: number }[] }
  | { kind: 'confirm' | 'fulfill' | 'cancel'; pick: number }
  | { kind: 'restock'; p: number; qty: number; cost: string }
  | { kind: 'adjust'; p: number; change: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('create' as const),
    lines: fc.array(
      fc.record({
        p: fc.nat(2),
        qty: fc.integer({ min: 1, max: 6 }),
        discount: fc.constantFrom(0, 0.1, 0.125, 0.3333),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  }),
  fc.record({ kind: fc.constantFrom('confirm' as const, 'fulfill' as const, 'cancel' as const), pick: fc.nat(20) }),
  fc.record({
    kind: fc.constant('restock' as const),
    p: fc.nat(2),
    qty: fc.integer({ min: 1, max: 8 }),
    cost: fc.constantFrom('3.33', '0.07', '12.50', '9.99'),
  }),
  fc.record({ kind: fc.constant('adjust' as const), p: fc.nat(2), change: fc.constantFrom(-3, -1, 1, 2) }),
);

describe.each(dbKinds)('order sequences on %s', (kind) => {
  let customerId: number;
  let run = 0;
  const s = useServer(kind, async ({ mcp }) => {
    customerId = (await mcp.ok<{ id: number }>('create_customer', { name: 'Property Buyer' })).id;
  });

  const restock = (productId: number, qty: number, cost: string) =>
    s.db.transaction(async (tx) => {
      await recordMovement(tx, { product_id: productId, change_qty: qty, reason: 'opening', unit_cost: cost });
      const value = parseMoney(cost) * BigInt(qty);
      await postEntry(tx, {
        entry_date: '2026-01-01',
        memo: 'test stock',
        source: 'opening',
        lines: [
          { account: '1200', debit: value },
          { account: '3000', credit: value },
        ],
      });
    });

  it('keep stock = Σ movements, reservations, totals and the books consistent', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 14 }), async (ops) => {
        run += 1;
        const products: { id: number; cost: string }[] = [];
        for (let i = 0; i < 3; i++) {
          const cost = ['3.33', '0.07', '12.50'][i]!;
          products.push({
            id: (
              await s.mcp.ok<{ id: number }>('create_product', {
                sku: `P${run}-${i}`,
                name: `Prop ${run}-${i}`,
                price: '9.99',
                cost,
              })
            ).id,
            cost,
          });
          await restock(products[i]!.id, 5, cost);
        }
        const onHand = [5, 5, 5];
        const reserved = [0, 0, 0];
        const orders: { id: number; status: string; need: number[] }[] = [];
        for (const o of ops) {
          if (o.kind === 'create') {
            const r = await s.mcp.ok<{ id: number }>('create_order', {
              customer_id: customerId,
              items: o.lines.map((l) => ({ product_id: products[l.p]!.id, quantity: l.qty, discount: l.discount })),
            });
            const need = [0, 0, 0];
            for (const l of o.lines) need[l.p]! += l.qty;
            orders.push({ id: r.id, status: 'draft', need });
          } else if (o.kind === 'restock') {
            await s.mcp.ok('receive_stock', { product_id: products[o.p]!.id, quantity: o.qty, unit_cost: o.cost });
            onHand[o.p]! += o.qty;
          } else if (o.kind === 'adjust') {
            const result = await s.mcp.call('adjust_stock', {
              product_id: products[o.p]!.id,
              change_qty: o.change,
              reason: 'count',
            });
            const legal = onHand[o.p]! + o.change >= reserved[o.p]!;
            expect(!result.isError, `adjust ${o.change} with ${onHand[o.p]} on hand, ${reserved[o.p]} reserved`).toBe(
              legal,
            );
            if (legal) onHand[o.p]! += o.change;
          } else if (orders.length > 0) {
            const order = orders[o.pick % orders.length]!;
            const result = await s.mcp.call(`${o.kind}_order`, { order_id: order.id });
            const fits = order.need.every((q, i) => onHand[i]! - reserved[i]! >= q);
            const legal = {
              confirm: order.status === 'draft' && fits,
              fulfill: order.status === 'confirmed',
              cancel: order.status === 'draft' || order.status === 'confirmed',
            }[o.kind];
            expect(!result.isError, `${o.kind} of a ${order.status} order`).toBe(legal);
            if (!legal) continue;
            order.need.forEach((q, i) => {
              if (o.kind === 'confirm') reserved[i]! += q;
              if (o.kind === 'fulfill') {
                reserved[i]! -= q;
                onHand[i]! -= q;
              }
              if (o.kind === 'cancel' && order.status === 'confirmed') reserved[i]! -= q;
            });
            order.status = { confirm: 'confirmed', fulfill: 'fulfilled', cancel: 'cancelled' }[o.kind];
          }
        }
        const rows = await s.db.query<{ qty_on_hand: number; reserved_qty: number }>(
          'select qty_on_hand, reserved_qty from stock where product_id = any($1::int[]) order by product_id',
          [products.map((p) => p.id)],
        );
        expect(rows).toEqual(onHand.map((q, i) => ({ qty_on_hand: q, reserved_qty: reserved[i] })));
        await expectInvariants(s.db);
      }),
      { numRuns: kind === 'pglite' ? 25 : 15 },
    );
  });
});
