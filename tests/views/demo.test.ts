// The invoice, dashboard and customer 360 views on the demo company, in a real browser through the
// test host: figures checked against the tools, role limits shown per panel, screenshots taken.
// The demo seed (a year of data) is slow, so it runs once per database kind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/seed.js';
import { dbKinds, freshDb, type TestDb } from '../helpers/db.js';
import { connect, type TestClient } from '../helpers/mcp.js';
import { ensureViewBuilt, screenshots, startHost, type Host } from './host.js';

const plain = (text: string | null) => (text ?? '').replace(/,/g, '').replace('−', '-').trim();
const today = new Date().toISOString().slice(0, 10);
const yearAgo = `${Number(today.slice(0, 4)) - 1}${today.slice(4, 8)}01`;

describe.each(dbKinds)('views on the demo company (%s)', (kind) => {
  let db: TestDb;
  let host: Host;
  let admin: TestClient;

  beforeAll(async () => {
    for (const name of ['invoice', 'dashboard', 'customer']) ensureViewBuilt(name);
    [db, host] = await Promise.all([freshDb(kind), startHost()]);
    await seedDemo(db);
    admin = await connect(db);
  }, 180_000);
  afterAll(async () => {
    await host?.close();
    await admin?.close();
    await db?.close();
  });

  describe('invoice', () => {
    let invoiceId: number;
    beforeAll(async () => {
      const [row] = await db.query<{ id: number }>(
        `select i.id from invoices i where i.kind = 'invoice' and exists (select 1 from payment_allocations a where a.invoice_id = i.id) order by i.id limit 1`,
      );
      invoiceId = row!.id;
    });

    it('shows the totals, lines and payments get_invoice returns', async () => {
      const invoice = await admin.ok<Record<string, string> & { lines: unknown[]; applied: unknown[] }>('get_invoice', {
        invoice_id: invoiceId,
      });
      const { view } = await host.open(admin, 'get_invoice', { invoice_id: invoiceId });
      await view.locator('[data-total="total_amount"]').waitFor();
      for (const key of ['subtotal', 'tax_amount', 'total_amount', 'paid', 'credited', 'open_amount']) {
        expect(plain(await view.locator(`[data-total="${key}"]`).textContent()), key).toBe(invoice[key]);
      }
      expect(await view.locator('table.lines tbody tr').count()).toBe(invoice.lines.length);
      expect(invoice.applied.length).toBeGreaterThan(0);
      expect(await view.locator('[data-applied]').count()).toBe(invoice.applied.length);
      expect(await view.locator('h1').textContent()).toContain(invoice.invoice_number);
    });

    it('prints without its toolbar, in light colours', async () => {
      const { page, view } = await host.open(admin, 'get_invoice', { invoice_id: invoiceId }, { theme: 'dark' });
      await view.locator('[data-total="total_amount"]').waitFor();
      await page.emulateMedia({ media: 'print' });
      expect(await view.locator('.toolbar').isVisible()).toBe(false);
      expect(await view.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor)).toBe(
        'rgb(255, 255, 255)',
      );
    });

    it.runIf(kind === 'pglite')('screenshots', async () => {
      await screenshots(host, admin, 'get_invoice', { invoice_id: invoiceId }, 'invoice', (view) =>
        view.locator('[data-total="open_amount"]').waitFor(),
      );
    });
  });

  describe('dashboard', () => {
    const args = { from: yearAgo, to: today, group_by: 'month' };

    it('draws revenue by month, top customers and products and AR aging, each with its table', async () => {
      const months = await admin.ok<{ rows: unknown[] }>('sales_report', args);
      const aging = await admin.ok<{ buckets: Record<string, string> }>('ar_aging', { as_of: today });
      const { view } = await host.open(admin, 'sales_report', args);
      await view.locator('[data-panel="products"] canvas').waitFor();
      for (const panel of ['months', 'customers', 'products', 'aging']) {
        expect(await view.locator(`[data-panel="${panel}"] canvas`).count(), panel).toBe(1);
        expect(await view.locator(`[data-table="${panel}"] tbody tr`).count(), panel).toBeGreaterThan(0);
      }
      expect(months.rows.length).toBeGreaterThan(6);
      expect(await view.locator('[data-table="months"] tbody tr').count()).toBe(months.rows.length);
      expect(await view.locator('[data-table="customers"] tbody tr').count()).toBeLessThanOrEqual(10);
      const over90 = view.locator('[data-table="aging"] tbody tr').last().locator('td').last();
      expect(plain(await over90.textContent())).toBe(aging.buckets.over_90);
      expect(await view.locator('[data-panel="kpis"] .kpi').count()).toBe(7);
    });

    it('shows a viewer the receivables and says why the sales panels are not theirs', async () => {
      const viewer = await connect(db, { email: 'viewer@erp.local' });
      try {
        const { view } = await host.open(viewer, 'ar_aging', { as_of: today });
        await view.locator('[data-table="aging"]').waitFor();
        expect(await view.locator('[data-panel="months"]').getAttribute('data-unavailable')).toBe('');
        expect(await view.locator('[data-panel="months"]').textContent()).toMatch(/FORBIDDEN/);
      } finally {
        await viewer.close();
      }
    });

    it.runIf(kind === 'pglite')('screenshots', async () => {
      await screenshots(host, admin, 'sales_report', args, 'dashboard', (view) =>
        view.locator('[data-panel="products"] canvas').waitFor(),
      );
    });
  });

  describe('customer 360', () => {
    let customerId: number;
    beforeAll(async () => {
      const [row] = await db.query<{ id: number }>(
        `select c.id from customers c where exists (select 1 from orders o where o.customer_id = c.id)
           and exists (select 1 from customer_kv m where m.customer_id = c.id) order by c.id limit 1`,
      );
      customerId = row!.id;
    });

    it('shows orders, invoices, balance and facts, and an order link calls get_order through the host', async () => {
      const customer = await admin.ok<{ open_balance: string; memory: unknown[] }>('get_customer', {
        customer_id: customerId,
      });
      const { view } = await host.open(admin, 'get_customer', { customer_id: customerId });
      await view.locator('[data-table="orders"]').waitFor();
      expect(plain(await view.locator('[data-open-balance]').textContent())).toBe(customer.open_balance);
      expect(await view.locator('[data-table="invoices"] tbody tr').count()).toBeGreaterThan(0);
      expect(await view.locator('[data-section="memory"] dt').count()).toBe(customer.memory.length);
      expect(await view.locator('[data-section="activity"] li').count()).toBeGreaterThan(0);
      const first = view.locator('[data-table="orders"] tbody tr').first().locator('button.link');
      const orderId = Number((await first.textContent())!.slice(1));
      await first.click();
      await expect.poll(() => view.locator('[data-detail]').getAttribute('data-detail')).toBe(`Order #${orderId}`);
      const [row] = await db.query<{ n: number }>(
        `select count(*)::int as n from tool_calls where tool_name = 'get_order' and (input_json->>'order_id')::int = $1 and status = 'ok'`,
        [orderId],
      );
      expect(row!.n).toBe(1);
    });

    it('a sales user sees why invoices are not theirs to read', async () => {
      const sales = await connect(db, { email: 'sales@erp.local' });
      try {
        const { view } = await host.open(sales, 'get_customer', { customer_id: customerId });
        await view.locator('[data-section="invoices"] [data-unavailable]').waitFor();
        expect(await view.locator('[data-section="invoices"]').textContent()).toMatch(
          /FORBIDDEN: Role sales may not call list_invoices/,
        );
        expect(await view.locator('[data-table="orders"] tbody tr').count()).toBeGreaterThan(0);
      } finally {
        await sales.close();
      }
    });

    it.runIf(kind === 'pglite')('screenshots', async () => {
      await screenshots(host, admin, 'get_customer', { customer_id: customerId }, 'customer', (view) =>
        view.locator('[data-section="activity"]').waitFor(),
      );
    });
  });
});
