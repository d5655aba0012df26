// `erp-mcp seed --demo`: fills an empty database with the demo company through the same domain
// functions the tools use, so the demo data obeys every rule (stock = Σ movements, ledger balances).
import { fileURLToPath } from 'node:url';
import type { Db, Tx } from '../db/types.js';
import type { Embedder } from '../rag/embedder.js';
import { collectFiles, ingestFiles } from '../rag/folder.js';
import { ACCOUNTS } from '../domain/finance/accounts.js';
import { postEntry } from '../domain/finance/ledger.js';
import { recordMovement } from '../domain/inventory/stock.js';
import { createUser, DEFAULT_ADMIN_EMAIL, requireUserByEmail, type Role } from '../domain/platform/users.js';
import { rememberCustomerFact } from '../domain/sales/customer-memory.js';
import { createCustomer } from '../domain/sales/customers.js';
import { createProduct } from '../domain/sales/products.js';
import { daysAgo, now } from '../domain/shared/clock.js';
import { parseMoney } from '../domain/shared/money.js';
import { planOrders, seedLeadsAndTickets, seedOrders, unitsCommitted } from './activity.js';
import { seedBilling } from './billing.js';
import { demoCustomers, demoFacts, demoProducts, demoSuppliers, demoUsers } from './data.js';

export interface DemoCounts {
  customers: number;
  products: number;
  suppliers: number;
  users: number;
  orders: number;
  invoices: number;
}

/** Counted in the database, never taken from the demo data's lists: converted leads add customers. */
export type SeedResult = { seeded: true; added: DemoCounts } | { seeded: false; seededAt: string; present: DemoCounts };

const SEEDED_KEY = 'demo_seeded_at';
/** Opening balances are dated a year and a month back, before the first demo order. */
const openingDate = () => daysAgo(395);

/** The demo company's documents (policies, price lists, manuals), in the repository. */
export const demoDocumentsDir = fileURLToPath(new URL('../../demo/documents', import.meta.url));

/**
 * Indexes the demo documents for search. Separate from seedDemo's transaction (one per file) and
 * idempotent: unchanged files are skipped.
 */
export async function seedDemoDocuments(db: Db, embedder: Embedder) {
  return ingestFiles(db, embedder, await collectFiles([demoDocumentsDir]), { root: demoDocumentsDir, tags: ['demo'] });
}

export async function seedDemo(db: Db): Promise<SeedResult> {
  return db.transaction(async (tx) => {
    const [done] = await tx.query<{ value: string }>('select value from settings where key = $1 for update', [
      SEEDED_KEY,
    ]);
    if (done) return { seeded: false, seededAt: done.value, present: await countRecords(tx) };
    const before = await countRecords(tx);
    const admin = await requireUserByEmail(tx, DEFAULT_ADMIN_EMAIL);
    for (const u of demoUsers) await createUser(tx, { name: u.name, email: u.email, role: u.role as Role });
    const customerIds = new Map<string, number>();
    for (const [name, email, phone] of demoCustomers)
      customerIds.set(name, (await createCustomer(tx, { name, email, phone })).id);
    for (const [name, key, value] of demoFacts) await rememberCustomerFact(tx, customerIds.get(name)!, key, value);
    const plan = planOrders(demoCustomers.length, demoProducts.length);
    const productIds = await seedProducts(tx, admin.id, unitsCommitted(plan, demoProducts.length));
    await seedSuppliers(tx, productIds);
    await seedOrders(tx, plan, [...customerIds.values()], [...productIds.values()], admin.id);
    await seedLeadsAndTickets(tx, [...customerIds.values()]);
    await seedBilling(tx, admin.id);
    await tx.query('insert into settings (key, value) values ($1, $2)', [SEEDED_KEY, now().toISOString()]);
    const added = await countRecords(tx);
    for (const k of Object.keys(added) as (keyof DemoCounts)[]) added[k] -= before[k];
    return { seeded: true, added };
  });
}

async function countRecords(tx: Tx): Promise<DemoCounts> {
  const [row] = await tx.query<DemoCounts>(`select
    (select count(*)::int from customers) as customers, (select count(*)::int from products) as products,
    (select count(*)::int from suppliers) as suppliers, (select count(*)::int from users) as users,
    (select count(*)::int from orders) as orders, (select count(*)::int from invoices) as invoices`);
  return row!;
}

/**
 * Products with opening stock, booked Dr 1200 Inventory / Cr 3000 Owner's Equity at cost. Opening
 * stock covers the year's planned sales, so after them each product holds its listed quantity.
 */
async function seedProducts(tx: Tx, adminId: number, committed: number[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  let valuation = 0n;
  for (const [i, [sku, name, price, cost, reorderPoint, listedQty, description]] of demoProducts.entries()) {
    const openingQty = listedQty + committed[i]!;
    const product = await createProduct(tx, { sku, name, price, cost, description, reorder_point: reorderPoint });
    ids.set(sku, product.id);
    await recordMovement(tx, {
      product_id: product.id,
      change_qty: openingQty,
      reason: 'opening',
      unit_cost: cost,
      note: 'Opening stock',
      created_by: adminId,
    });
    valuation += parseMoney(cost) * BigInt(openingQty);
  }
  await postEntry(tx, {
    entry_date: openingDate(),
    memo: 'Opening inventory at cost',
    source: 'opening',
    created_by: adminId,
    lines: [
      { account: ACCOUNTS.inventory, debit: valuation },
      { account: ACCOUNTS.ownersEquity, credit: valuation },
    ],
  });
  return ids;
}

async function seedSuppliers(tx: Tx, productIds: Map<string, number>): Promise<void> {
  for (const [name, email, phone, prefixes, leadTime] of demoSuppliers) {
    const [supplier] = await tx.query<{ id: number }>(
      'insert into suppliers (name, email, phone) values ($1, $2, $3) returning id',
      [name, email, phone],
    );
    for (const [sku, , , cost] of demoProducts.filter(([s]) => prefixes.some((p) => s.startsWith(p)))) {
      await tx.query(
        `insert into supplier_products (supplier_id, product_id, supplier_sku, unit_cost, lead_time_days) values ($1, $2, $3, $4, $5)
         on conflict do nothing`,
        [supplier!.id, productIds.get(sku), `${name.slice(0, 3).toUpperCase()}-${sku}`, cost, leadTime],
      );
    }
  }
}
