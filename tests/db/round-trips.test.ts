// Server CPU on PostgreSQL grows with the round trips a call makes, so each order-to-cash tool has
// a ceiling. Counted on the wire, through a proxy between the server's one connection and the
// database: a round trip is a burst of client bytes sent after the database last answered. Counted
// on the third cycle, once every statement is prepared on the connection (the first use of each
// costs a Describe of its own).
import { createServer, connect as tcpConnect, type Server } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPostgres } from '../../src/db/postgres.js';
import type { Db } from '../../src/db/types.js';
import { describePostgres, freshDb, type TestDb } from '../helpers/db.js';
import { connect, type TestClient } from '../helpers/mcp.js';

/**
 * Most round trips each tool may take, begin and commit included (before the pipelining work:
 * 6, 4, 6, 10, 9 and 12).
 */
const CEILING = {
  create_order: 3,
  confirm_order: 2,
  fulfill_order: 2,
  create_invoice: 3,
  post_invoice: 2,
  record_payment: 3,
} as const;
type O2cTool = keyof typeof CEILING;

/** A TCP proxy to the database that counts the client's bursts that follow an answer. */
async function countingProxy(target: URL): Promise<{ server: Server; port: number; trips: () => number }> {
  let trips = 0;
  const server = createServer((client) => {
    let answered = true;
    const upstream = tcpConnect(Number(target.port || 5432), target.hostname);
    client.on('data', (chunk) => {
      if (answered) trips++;
      answered = false;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      answered = true;
      client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, port, trips: () => trips };
}

describePostgres('round trips per order-to-cash call on %s', () => {
  let db: TestDb;
  let proxied: Db;
  let proxy: Awaited<ReturnType<typeof countingProxy>>;
  let mcp: TestClient;
  const ids = { customer: 0, product: 0 };

  beforeAll(async () => {
    db = await freshDb('postgres');
    proxy = await countingProxy(new URL(db.url!));
    const url = new URL(db.url!);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    proxied = await openPostgres(url.toString(), { max: 1 });
    mcp = await connect(proxied);
    ids.product = (
      await mcp.ok<{ id: number }>('create_product', { sku: 'RT-1', name: 'Trip', price: '10.00', cost: '4.00' })
    ).id;
    ids.customer = (await mcp.ok<{ id: number }>('create_customer', { name: 'Trip Buyer' })).id;
    await mcp.ok('receive_stock', { product_id: ids.product, quantity: 1000 });
  });
  afterAll(async () => {
    await mcp?.close();
    await proxied?.close();
    proxy?.server.close();
    await db?.close();
  });

  /** One cycle, as bench/run.mjs runs it; the round trips each call took. */
  async function cycle(): Promise<Record<O2cTool, number>> {
    const trips = {} as Record<O2cTool, number>;
    const call = async <T = Record<string, unknown>>(name: O2cTool, args: Record<string, unknown>) => {
      const before = proxy.trips();
      const out = await mcp.ok<T>(name, args);
      trips[name] = proxy.trips() - before;
      return out;
    };
    const order = await call<{ id: number }>('create_order', {
      customer_id: ids.customer,
      items: [{ product_id: ids.product, quantity: 1 }],
    });
    await call('confirm_order', { order_id: order.id });
    await call('fulfill_order', { order_id: order.id });
    const invoice = await call<{ id: number }>('create_invoice', {
      customer_id: ids.customer,
      order_ids: [order.id],
      tax_rate: '0.0825',
    });
    await call('post_invoice', { invoice_id: invoice.id });
    await call('record_payment', {
      customer_id: ids.customer,
      amount: '10.83',
      method: 'bank',
      allocations: [{ invoice_id: invoice.id, amount: '10.83' }],
    });
    return trips;
  }

  it('keeps every order-to-cash call within its round trips, the same on every cycle', async () => {
    await cycle();
    await cycle();
    const third = await cycle();
    console.log('round trips per call:', JSON.stringify(third));
    expect(await cycle()).toEqual(third);
    for (const [tool, ceiling] of Object.entries(CEILING))
      expect(third[tool as O2cTool], tool).toBeLessThanOrEqual(ceiling);
  });

  it('answers get_customer and get_order with their audit rows in one round trip', async () => {
    const order = await mcp.ok<{ id: number }>('create_order', {
      customer_id: ids.customer,
      items: [{ product_id: ids.product, quantity: 1 }],
    });
    const trips = async (name: string, args: Record<string, unknown>) => {
      await mcp.ok(name, args); // prepares the statement on the connection
      const before = proxy.trips();
      await mcp.ok(name, args);
      return proxy.trips() - before;
    };
    expect(await trips('get_customer', { customer_id: ids.customer })).toBe(1);
    expect(await trips('get_order', { order_id: order.id })).toBe(1);
    const [audited] = await db.query<{ n: number }>(
      "select count(*)::int as n from tool_calls where tool_name in ('get_customer', 'get_order') and status = 'ok'",
    );
    expect(audited!.n).toBe(4);
  });

  it('record_payment without allocations, oldest due first, takes as few round trips as with them', async () => {
    const pay = async () => {
      const order = await mcp.ok<{ id: number }>('create_order', {
        customer_id: ids.customer,
        items: [{ product_id: ids.product, quantity: 1 }],
      });
      await mcp.ok('confirm_order', { order_id: order.id });
      const invoice = await mcp.ok<{ id: number }>('create_invoice', {
        customer_id: ids.customer,
        order_ids: [order.id],
      });
      await mcp.ok('post_invoice', { invoice_id: invoice.id });
      const before = proxy.trips();
      await mcp.ok('record_payment', { customer_id: ids.customer, amount: '10.00', method: 'bank' });
      return proxy.trips() - before;
    };
    await pay();
    const trips = await pay();
    expect(await pay()).toBe(trips);
    expect(trips).toBeLessThanOrEqual(CEILING.record_payment);
  });
});
