// Scaling out: three `erp-mcp http` servers on one PostgreSQL, 40 clients racing on the same
// customer, the same two products, the invoice numbering and payments. Afterwards every
// invariant holds, invoice numbers are gapless and the audit chain verifies.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createToken } from '../../src/domain/platform/tokens.js';
import { requireUserByEmail } from '../../src/domain/platform/users.js';
import { describePostgres, freshDb, type TestDb } from '../helpers/db.js';
import { expectInvariants } from '../helpers/invariants.js';
import { rpcBody } from '../helpers/rpc.js';

const cli = join(import.meta.dirname, '../../dist/cli.js');
const BASE_PORT = 4100 + (process.pid % 300) * 3;
const CLIENTS = 40;
const SECONDS = 8;

describePostgres('three servers, one %s', () => {
  let db: TestDb;
  let token: string;
  const servers: ChildProcess[] = [];
  const urls = [0, 1, 2].map((i) => `http://127.0.0.1:${BASE_PORT + i}`);
  const ids = { customer: 0, products: [] as number[] };

  beforeAll(async () => {
    db = await freshDb('postgres');
    token = (
      await db.transaction(async (tx) => createToken(tx, (await requireUserByEmail(tx, 'admin@erp.local')).id, 'scale'))
    ).token;
    for (const [i, url] of urls.entries()) {
      servers.push(
        spawn(process.execPath, [cli, 'http', '--port', String(BASE_PORT + i)], {
          env: { ...process.env, DATABASE_URL: db.url! },
          stdio: 'ignore',
        }),
      );
      for (
        let t = 0;
        t < 100 &&
        !(await fetch(`${url}/healthz`).then(
          (r) => r.ok,
          () => false,
        ));
        t++
      )
        await new Promise((r) => setTimeout(r, 100));
    }
    ids.customer = (await call(0, 'create_customer', { name: 'Shared Buyer' })).value!.id as number;
    for (const sku of ['SCALE-A', 'SCALE-B']) {
      const p = (await call(1, 'create_product', { sku, name: sku, price: '13.00', cost: '5.00' })).value!.id as number;
      await call(2, 'receive_stock', { product_id: p, quantity: 60, unit_cost: '5.00' });
      ids.products.push(p);
    }
  });
  afterAll(async () => {
    for (const s of servers) s.kill();
    await db.close();
  });

  async function call(
    server: number,
    name: string,
    args: Record<string, unknown>,
  ): Promise<{ value?: Record<string, unknown>; code?: string }> {
    const res = await fetch(`${urls[server % 3]}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${token}`,
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
    });
    const body = (await rpcBody(res)) as {
      result?: {
        isError?: boolean;
        structuredContent?: Record<string, unknown>;
        _meta?: Record<string, { code: string }>;
      };
    };
    if (!body.result || body.result.isError)
      return { code: body.result?._meta?.['erp-mcp/error']?.code ?? `HTTP ${res.status}` };
    return { value: body.result.structuredContent };
  }

  it(`keeps stock, invoices, payments, numbering and the audit chain exact under ${CLIENTS} racing clients`, async () => {
    const codes = new Map<string, number>();
    const note = (r: { code?: string }) => r.code && codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
    const deadline = Date.now() + SECONDS * 1000;
    const client = async (c: number) => {
      for (let i = 0; Date.now() < deadline; i++) {
        const s = c + i;
        if (c % 4 === 0) {
          note(await call(s, 'record_payment', { customer_id: ids.customer, amount: '13.00', method: 'bank' }));
          continue;
        }
        const order = await call(s, 'create_order', {
          customer_id: ids.customer,
          items: [{ product_id: ids.products[c % 2], quantity: 1 + (i % 2) }],
        });
        if (!order.value) {
          note(order);
          continue;
        }
        const orderId = order.value.id as number;
        if ((await call(s + 1, 'confirm_order', { order_id: orderId })).code) continue;
        if (i % 5 === 0) {
          note(await call(s + 2, 'cancel_order', { order_id: orderId }));
          continue;
        }
        note(await call(s + 2, 'fulfill_order', { order_id: orderId }));
        const invoice = await call(s, 'create_invoice', { customer_id: ids.customer, order_ids: [orderId] });
        if (invoice.value) note(await call(s + 1, 'post_invoice', { invoice_id: invoice.value.id }));
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
    // Refusals are business answers (out of stock, nothing left to pay); never a crash or an internal error.
    expect([...codes.keys()].filter((c) => !['INSUFFICIENT_STOCK', 'CONFLICT'].includes(c))).toEqual([]);
    const [posted] = await db.query<{ n: number }>(
      "select count(*)::int as n from invoices where status in ('posted', 'paid')",
    );
    expect(posted!.n).toBeGreaterThan(5);
    await expectInvariants(db);
    expect((await call(0, 'verify_audit_log', {})).value).toMatchObject({ ok: true });
  }, 120_000);
});
