// Retrieval quality on the demo documents: each question has the document that answers it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoDocuments } from '../../src/demo/seed.js';
import { dbKinds, freshDb, type TestDb } from '../helpers/db.js';
import { connect, testEmbedder, type TestClient } from '../helpers/mcp.js';

const QUESTIONS: [string, string][] = [
  ['How many days do customers have to return unused goods?', 'policies/returns-policy.md'],
  ['What is the restocking fee for returned power tools?', 'policies/returns-policy.md'],
  ['How long is the warranty on a cordless drill?', 'policies/warranty-policy.md'],
  ['What do I need to make a warranty claim?', 'policies/warranty-policy.md'],
  ['How long are accounting records retained?', 'policies/privacy-notice.md'],
  ['Do suppliers have to use FSC certified wood?', 'policies/code-of-conduct.md'],
  ['What interest is charged on overdue invoices?', 'finance/payment-terms.md'],
  ['Is there an early payment discount?', 'finance/payment-terms.md'],
  ['What credit limit does a new trade customer get?', 'finance/credit-policy.md'],
  ['When is a customer put on credit hold?', 'finance/credit-policy.md'],
  ['What sales tax rate do we charge?', 'finance/sales-tax.md'],
  ['Which customers are exempt from sales tax?', 'finance/sales-tax.md'],
  ['What are the steps of the month-end close?', 'finance/month-end-close.md'],
  ['How much can I claim for meals on expenses?', 'finance/expense-policy.md'],
  ['Is there a surcharge for paying by card?', 'finance/bank-details.md'],
  ['What does the 50 m garden hose cost?', 'products/price-list-garden.md'],
  ['What discount do rental fleets get on tents and sleeping bags?', 'products/price-list-outdoor.md'],
  ['Price of the chainsaw', 'products/price-list-workshop.md'],
  ['How do I repair a cracked tent pole?', 'products/tent-care-manual.md'],
  ['What is the maximum load of the kayak?', 'products/kayak-safety-guide.md'],
  ['How long does it take to charge the drill battery?', 'products/drill-manual.md'],
  ['What fuel mix does the chainsaw need?', 'products/chainsaw-safety.md'],
  ['How should I wash the sleeping bag?', 'products/sleeping-bag-guide.md'],
  ['When is shipping free?', 'operations/shipping-policy.md'],
  ['What are the warehouse opening hours for pickup?', 'operations/warehouse-hours.md'],
  ['Who must approve a large stock write-off?', 'operations/stock-counting.md'],
  ['What is the lead time from Nordlys Outdoor?', 'operations/reordering.md'],
  ['How much discount can sales staff give without approval?', 'sales/discount-guidelines.md'],
  ['What do key accounts get?', 'sales/key-accounts.md'],
  ['How fast must we call back a hot lead?', 'sales/lead-handling.md'],
];

describe.each(dbKinds)('retrieval quality on the demo documents (%s)', (kind) => {
  let db: TestDb;
  let mcp: TestClient;
  beforeAll(async () => {
    db = await freshDb(kind);
    const result = await seedDemoDocuments(db, testEmbedder);
    expect(result.failed).toBe(0);
    mcp = await connect(db);
  });
  afterAll(async () => {
    await mcp.close();
    await db.close();
  });

  it(`finds the answering document in the top 5 for at least 90 % of ${QUESTIONS.length} questions`, async () => {
    let found = 0;
    let reciprocal = 0;
    const misses: string[] = [];
    for (const [question, expected] of QUESTIONS) {
      const { hits } = await mcp.ok<{ hits: { path: string }[] }>('search_documents', { query: question, limit: 5 });
      const rank = hits.findIndex((h) => h.path === expected) + 1;
      if (rank > 0) {
        found += 1;
        reciprocal += 1 / rank;
      } else misses.push(`${question} → ${hits[0]?.path}`);
    }
    const recall = found / QUESTIONS.length;
    console.log(
      `[retrieval ${kind}] recall@5 ${recall.toFixed(3)}, MRR ${(reciprocal / QUESTIONS.length).toFixed(3)}${misses.length ? `; misses: ${misses.join(' | ')}` : ''}`,
    );
    expect(recall).toBeGreaterThanOrEqual(0.9);
  });

  it('re-seeding the documents skips every unchanged file', async () => {
    expect(await seedDemoDocuments(db, testEmbedder)).toMatchObject({ ingested: 0, failed: 0 });
  });
});
