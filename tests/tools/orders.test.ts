import { describe, expect, it } from 'vitest';
import { recordMovement } from '../../src/domain/inventory/stock.js';
import { count, dbKinds } from '../helpers/db.js';
import { connect, useServer } from '../helpers/mcp.js';

interface Order {
  id: number;
  status: string;
  total: string;
  items: { price: string; discount: string; line_total: string; quantity: number }[];
}
interface Product {
  id: number;
  sku: string;
  qty_on_hand: number;
  reserved_qty: number;
  available: number;
}

describe.each(dbKinds)('order life cycle on %s', (kind) => {
  let customerId: number;
  const s = useServer(kind, async (s) => {
    customerId = (await s.mcp.ok<{ id: number }>('create_customer', { name: 'Order Tester' })).id;
  });
  let seq = 0;

  /** A product with `stock` units on hand, booked as opening stock. */
  const product = async (price: string, stock: number, cost = '1.00'): Promise<Product> => {
    seq += 1;
    const p = await s.mcp.ok<Product>('create_product', { sku: `T-${seq}`, name: `Test product ${seq}`, price, cost });
    if (stock > 0)
      await s.db.transaction((tx) => recordMovement(tx, { product_id: p.id, change_qty: stock, reason: 'opening' }));
    return p;
  };
  const stockOf = async (id: number) => s.mcp.ok<Product>('get_product', { product_id: id });

  it('create_order totals each line half-up to the cent and keeps the catalogue price on the line', async () => {
    const a = await product('19.99', 0);
    const b = await product('0.05', 0);
    const order = await s.mcp.ok<Order>('create_order', {
      customer_id: customerId,
      items: [
        { product_id: a.id, quantity: 3, discount: 0.15 }, // 59.97 × 0.85 = 50.9745 → 50.97
        { sku: b.sku, quantity: 1, discount: '0.5' }, // 0.025 → 0.03
        { product_id: a.id, quantity: 2, price: '10' }, // 20.00
      ],
    });
    expect(order.items.map((i) => i.line_total)).toEqual(['50.97', '0.03', '20.00']);
    expect(order.total).toBe('71.00');
    expect(order.status).toBe('draft');
    await s.mcp.ok('update_product', { product_id: a.id, price: '25.00' });
    const again = await s.mcp.ok<Order>('get_order', { order_id: order.id });
    expect(again.items[0]!.price).toBe('19.99');
  });

  it('create_order refuses bad items and writes nothing', async () => {
    const p = await product('5.00', 0);
    const before = await count(s.db, 'orders');
    expect(
      (await s.mcp.fail('create_order', { customer_id: 999999, items: [{ product_id: p.id, quantity: 1 }] })).code,
    ).toBe('NOT_FOUND');
    expect(
      (
        await s.mcp.fail('create_order', {
          customer_id: customerId,
          items: [
            { product_id: p.id, quantity: 1 },
            { product_id: 999999, quantity: 1 },
          ],
        })
      ).code,
    ).toBe('NOT_FOUND');
    expect(
      (await s.mcp.fail('create_order', { customer_id: customerId, items: [{ sku: 'NOPE', quantity: 1 }] })).message,
    ).toContain('NOPE');
    expect(
      (await s.mcp.fail('create_order', { customer_id: customerId, items: [{ product_id: p.id, quantity: 0 }] })).code,
    ).toBe('INVALID_INPUT');
    expect(
      (
        await s.mcp.fail('create_order', {
          customer_id: customerId,
          items: [{ product_id: p.id, sku: p.sku, quantity: 1 }],
        })
      ).code,
    ).toBe('INVALID_INPUT');
    expect(
      (
        await s.mcp.fail('create_order', {
          customer_id: customerId,
          items: [{ product_id: p.id, quantity: 1, discount: 1 }],
        })
      ).code,
    ).toBe('INVALID_INPUT');
    expect(
      (
        await s.mcp.fail('create_order', {
          customer_id: customerId,
          items: [{ product_id: p.id, quantity: 1, discount: '0.12345' }],
        })
      ).code,
    ).toBe('INVALID_INPUT');
    expect((await s.mcp.fail('create_order', { customer_id: customerId, items: [] })).code).toBe('INVALID_INPUT');
    await s.mcp.ok('update_product', { product_id: p.id, active: false });
    expect(
      (await s.mcp.fail('create_order', { customer_id: customerId, items: [{ product_id: p.id, quantity: 1 }] })).code,
    ).toBe('CONFLICT');
    expect(await count(s.db, 'orders')).toBe(before);
  });

  it('confirm_order reserves stock; available drops, on hand does not', async () => {
    const p = await product('10.00', 5);
    const o = await s.mcp.ok<Order>('create_order', {
      customer_id: customerId,
      items: [
        { product_id: p.id, quantity: 2 },
        { product_id: p.id, quantity: 1 },
      ],
    });
    expect((await s.mcp.ok<Order>('confirm_order', { order_id: o.id })).status).toBe('confirmed');
    expect(await stockOf(p.id)).toMatchObject({ qty_on_hand: 5, reserved_qty: 3, available: 2 });
  });

  it('confirm_order refuses when available stock is short, names each short product, and reserves nothing', async () => {
    const ok = await product('1.00', 10);
    const shortA = await product('1.00', 1);
    const shortB = await product('1.00', 0);
    const o = await s.mcp.ok<Order>('create_order', {
      customer_id: customerId,
      items: [
        { product_id: ok.id, quantity: 4 },
        { product_id: shortA.id, quantity: 2 },
        { product_id: shortB.id, quantity: 1 },
      ],
    });
    const error = await s.mcp.fail('confirm_order', { order_id: o.id });
    expect(error.code).toBe('INSUFFICIENT_STOCK');
    expect(error.message).toContain(`${shortA.sku}): need 2, available 1`);
    expect(error.message).toContain(`${shortB.sku}): need 1, available 0`);
    expect(error.message).not.toContain(`${ok.sku})`);
    expect((await stockOf(ok.id)).reserved_qty).toBe(0);
    expect((await s.mcp.ok<Order>('get_order', { order_id: o.id })).status).toBe('draft');
  });

  it('fulfill_order ships stock, releases the reservation and posts COGS at cost', async () => {
    const p = await product('30.00', 8, '12.35');
    const o = await s.mcp.ok<Order>('create_order', {
      customer_id: customerId,
      items: [{ product_id: p.id, quantity: 3 }],
    });
    await s.mcp.ok('confirm_order', { order_id: o.id });
    expect((await s.mcp.ok<Order>('fulfill_order', { order_id: o.id })).status).toBe('fulfilled');
    expect(await stockOf(p.id)).toMatchObject({ qty_on_hand: 5, reserved_qty: 0, available: 5 });
    const moves = await s.db.query(
      'select change_qty, reason, ref_id from stock_movements where product_id = $1 order by id',
      [p.id],
    );
    expect(moves).toEqual([
      { change_qty: 8, reason: 'opening', ref_id: null },
      { change_qty: -3, reason: 'sale', ref_id: o.id },
    ]);
    const lines = await s.db.query(
      `select l.account, l.debit, l.credit from ledger_lines l join ledger_entries e on e.id = l.entry_id
      where e.source = 'sale' and e.source_id = $1 order by l.account`,
      [o.id],
    );
    expect(lines).toEqual([
      { account: '1200', debit: '0.00', credit: '37.05' },
      { account: '5000', debit: '37.05', credit: '0.00' },
    ]);
  });

  it("cancel_order releases a confirmed order's reservation", async () => {
    const p = await product('2.00', 4);
    const o = await s.mcp.ok<Order>('create_order', {
      customer_id: customerId,
      items: [{ product_id: p.id, quantity: 4 }],
    });
    await s.mcp.ok('confirm_order', { order_id: o.id });
    const cancelled = await s.mcp.ok<Order & { cancel_reason: string }>('cancel_order', {
      order_id: o.id,
      reason: 'Customer changed their mind',
    });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancel_reason: 'Customer changed their mind' });
    expect(await stockOf(p.id)).toMatchObject({ qty_on_hand: 4, reserved_qty: 0 });
  });

  it('refuses every illegal transition with CONFLICT and changes nothing', async () => {
    const p = await product('2.00', 10);
    const mk = async () =>
      (await s.mcp.ok<Order>('create_order', { customer_id: customerId, items: [{ product_id: p.id, quantity: 1 }] }))
        .id;
    const draft = await mk();
    expect(await s.mcp.fail('fulfill_order', { order_id: draft })).toEqual({
      code: 'CONFLICT',
      message: `Order ${draft} is draft; only confirmed orders can be fulfilled`,
    });
    const confirmed = await mk();
    await s.mcp.ok('confirm_order', { order_id: confirmed });
    expect((await s.mcp.fail('confirm_order', { order_id: confirmed })).code).toBe('CONFLICT');
    await s.mcp.ok('fulfill_order', { order_id: confirmed });
    expect((await s.mcp.fail('cancel_order', { order_id: confirmed })).code).toBe('CONFLICT');
    expect((await s.mcp.fail('fulfill_order', { order_id: confirmed })).code).toBe('CONFLICT');
    const cancelled = await mk();
    await s.mcp.ok('cancel_order', { order_id: cancelled });
    expect((await s.mcp.fail('confirm_order', { order_id: cancelled })).code).toBe('CONFLICT');
    expect((await s.mcp.fail('cancel_order', { order_id: cancelled })).code).toBe('CONFLICT');
    expect(await stockOf(p.id)).toMatchObject({ qty_on_hand: 9, reserved_qty: 0 });
    expect((await s.mcp.fail('get_order', { order_id: 777777 })).code).toBe('NOT_FOUND');
  });

  it('list_orders filters by customer, status and date, newest first', async () => {
    const other = (await s.mcp.ok<{ id: number }>('create_customer', { name: 'List Tester' })).id;
    const p = await product('3.00', 0);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(
        (await s.mcp.ok<Order>('create_order', { customer_id: other, items: [{ product_id: p.id, quantity: 1 }] })).id,
      );
    await s.mcp.ok('cancel_order', { order_id: ids[1] });
    const all = await s.mcp.ok<{ items: { id: number }[] }>('list_orders', { customer_id: other });
    expect(all.items.map((o) => o.id)).toEqual([...ids].reverse());
    const drafts = await s.mcp.ok<{ items: { id: number }[] }>('list_orders', {
      customer_id: other,
      status: 'draft',
      limit: 1,
    });
    expect(drafts.items.map((o) => o.id)).toEqual([ids[2]]);
    const today = new Date().toISOString().slice(0, 10);
    expect(
      (await s.mcp.ok<{ items: unknown[] }>('list_orders', { customer_id: other, from: today, to: today })).items,
    ).toHaveLength(3);
    expect(
      (await s.mcp.ok<{ items: unknown[] }>('list_orders', { customer_id: other, to: '2000-01-01' })).items,
    ).toHaveLength(0);
  });

  if (kind === 'postgres') {
    it('25 concurrent clients confirming orders for the last 10 units sell exactly 10', async () => {
      const p = await product('9.00', 10);
      const clients = await Promise.all(Array.from({ length: 25 }, () => connect(s.db)));
      const orders: number[] = [];
      for (const c of clients)
        orders.push(
          (await c.ok<Order>('create_order', { customer_id: customerId, items: [{ product_id: p.id, quantity: 1 }] }))
            .id,
        );
      const results = await Promise.all(clients.map((c, i) => c.call('confirm_order', { order_id: orders[i] })));
      const won = results.filter((r) => !r.isError);
      const lost = results.filter((r) => r.isError);
      expect(won).toHaveLength(10);
      expect(lost).toHaveLength(15);
      for (const r of lost)
        expect((r.content[0] as { text: string }).text).toMatch(
          new RegExp(`^INSUFFICIENT_STOCK: .*\\(${p.sku}\\): need 1, available 0`),
        );
      expect(await stockOf(p.id)).toMatchObject({ qty_on_hand: 10, reserved_qty: 10, available: 0 });
      await Promise.all(clients.map((c) => c.close()));
    });
  }
});
