// Orders and stock through the domain functions on a fresh database: totals, reservations,
// shipping and cancelling, without an MCP client in between.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../../src/db/types.js';
import { recordMovement } from '../../src/domain/inventory/stock.js';
import { createCustomer } from '../../src/domain/sales/customers.js';
import { getOrder } from '../../src/domain/sales/order-queries.js';
import { cancelOrder, confirmOrder, createOrder, fulfillOrder } from '../../src/domain/sales/orders.js';
import { createProduct, requireProduct } from '../../src/domain/sales/products.js';
import { DomainError, fromDatabaseError } from '../../src/domain/shared/errors.js';
import { dbKinds, freshDb, type TestDb } from '../helpers/db.js';

describe.each(dbKinds)('orders and stock on %s', (kind) => {
  let db: TestDb;
  let customer: number;
  let seq = 0;
  const tx = <T>(fn: (tx: Tx) => Promise<T>) => db.transaction(fn);
  /** A product with `stock` units on hand as opening stock. */
  const product = (price: string, stock: number, cost = '4.00') =>
    tx(async (t) => {
      seq += 1;
      const p = await createProduct(t, { sku: `DOM-${seq}`, name: `Domain item ${seq}`, price, cost });
      if (stock > 0) await recordMovement(t, { product_id: p.id, change_qty: stock, reason: 'opening' });
      return p.id;
    });
  const stockOf = async (id: number) => {
    const p = await tx((t) => requireProduct(t, id));
    return { on_hand: p.qty_on_hand, reserved: p.reserved_qty, available: p.available };
  };
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('should have been refused');
      },
      // As the gate sees it: a rule the database enforces (sql/018's reservation) as its DomainError.
      (e: unknown) => (e instanceof DomainError ? e : (fromDatabaseError(e) ?? (e as DomainError))),
    );

  beforeAll(async () => {
    db = await freshDb(kind);
    customer = (await createCustomer(db, { name: 'Domain Orders Ltd' })).id;
  });
  afterAll(async () => db?.close());

  it('createOrder prices each line half-up from the catalogue or the given price, and totals the lines', async () => {
    const a = await product('33.33', 0);
    const b = await product('0.05', 0);
    const id = await tx((t) =>
      createOrder(t, customer, [
        { product_id: a, quantity: 3, discount: '0.1' },
        { product_id: b, quantity: 1, price: '0.05', discount: 0.5 },
      ]),
    );
    const order = await tx((t) => getOrder(t, id));
    expect(order.items.map((i) => [i.price, i.discount, i.line_total])).toEqual([
      ['33.33', '0.1000', '89.99'],
      ['0.05', '0.5000', '0.03'],
    ]);
    expect(order).toMatchObject({ status: 'draft', total: '90.02' });
  });

  it('createOrder refuses an inactive or unknown product and writes nothing', async () => {
    const before = await db.query<{ n: number }>('select count(*)::int as n from orders');
    expect((await refusal(tx((t) => createOrder(t, customer, [{ product_id: 999_999, quantity: 1 }])))).code).toBe(
      'NOT_FOUND',
    );
    expect((await refusal(tx((t) => createOrder(t, customer, [])))).code).toBe('INVALID_INPUT');
    expect(await db.query('select count(*)::int as n from orders')).toEqual(before);
  });

  it('confirmOrder reserves stock; one that is short is refused with what is missing and reserves nothing', async () => {
    const p = await product('10.00', 5);
    const first = await tx((t) => createOrder(t, customer, [{ product_id: p, quantity: 3 }]));
    await tx((t) => confirmOrder(t, first));
    expect(await stockOf(p)).toEqual({ on_hand: 5, reserved: 3, available: 2 });
    const second = await tx((t) =>
      createOrder(t, customer, [
        { product_id: p, quantity: 2 },
        { product_id: p, quantity: 1 },
      ]),
    );
    const e = await refusal(tx((t) => confirmOrder(t, second)));
    expect(e.code).toBe('INSUFFICIENT_STOCK');
    expect(e.details).toMatchObject({ short: [{ product_id: p, needed: 3, available: 2 }] });
    expect(await stockOf(p)).toEqual({ on_hand: 5, reserved: 3, available: 2 });
  });

  it('reserved stock cannot leave by a movement', async () => {
    const p = await product('10.00', 2);
    await tx(async (t) => confirmOrder(t, await createOrder(t, customer, [{ product_id: p, quantity: 2 }])));
    expect(
      (await refusal(tx((t) => recordMovement(t, { product_id: p, change_qty: -1, reason: 'write_off' })))).code,
    ).toBe('INSUFFICIENT_STOCK');
    expect(await stockOf(p)).toEqual({ on_hand: 2, reserved: 2, available: 0 });
  });

  it("cancelOrder releases a confirmed order's reservation; a cancelled order cannot be confirmed", async () => {
    const p = await product('10.00', 4);
    const id = await tx((t) => createOrder(t, customer, [{ product_id: p, quantity: 4 }]));
    await tx((t) => confirmOrder(t, id));
    await tx((t) => cancelOrder(t, id, 'customer changed their mind'));
    expect(await stockOf(p)).toEqual({ on_hand: 4, reserved: 0, available: 4 });
    const e = await refusal(tx((t) => confirmOrder(t, id)));
    expect(e).toMatchObject({
      code: 'CONFLICT',
      message: `Order ${id} is cancelled; only draft orders can be confirmed`,
    });
  });

  it('fulfillOrder ships the stock, releases the reservation and books cost of goods sold at cost', async () => {
    const p = await product('10.00', 6, '4.25');
    const id = await tx((t) => createOrder(t, customer, [{ product_id: p, quantity: 4 }]));
    await tx((t) => confirmOrder(t, id));
    await tx((t) => fulfillOrder(t, id, null, '2031-05-04'));
    expect(await stockOf(p)).toEqual({ on_hand: 2, reserved: 0, available: 2 });
    const lines = await db.query(
      `select e.entry_date::text as date, l.account, l.debit::text, l.credit::text from ledger_entries e join ledger_lines l on l.entry_id = e.id
       where e.source = 'sale' and e.source_id = $1 order by l.account`,
      [id],
    );
    expect(lines).toEqual([
      { date: '2031-05-04', account: '1200', debit: '0.00', credit: '17.00' },
      { date: '2031-05-04', account: '5000', debit: '17.00', credit: '0.00' },
    ]);
    expect((await refusal(tx((t) => fulfillOrder(t, id, null)))).code).toBe('CONFLICT');
  });
});
