// Random order-to-cash sequences — sell, invoice, post, pay part or all, credit, journal and
// reverse — keep every book invariant; the money the customer owes matches a hand-kept model.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { postEntry } from '../../src/domain/finance/ledger.js';
import { recordMovement } from '../../src/domain/inventory/stock.js';
import { formatMoney, parseMoney } from '../../src/domain/shared/money.js';
import { dbKinds } from '../helpers/db.js';
import { expectInvariants } from '../helpers/invariants.js';
import { useServer, type TestClient } from '../helpers/mcp.js';

type Op =
  | { kind: 'sell'; qty: number; discount: number }
  | { kind: 'invoice'; pick: number; rate: string }
  | { kind: 'pay'; pick: number; share: number }
  | { kind: 'credit'; pick: number; share: number }
  | { kind: 'journal'; cents: number; reverse: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('sell' as const),
    qty: fc.integer({ min: 1, max: 4 }),
    discount: fc.constantFrom(0, 0.05, 0.125),
  }),
  fc.record({ kind: fc.constant('invoice' as const), pick: fc.nat(10), rate: fc.constantFrom('0', '0.0825', '0.2') }),
  fc.record({ kind: fc.constant('pay' as const), pick: fc.nat(10), share: fc.constantFrom(0.33, 0.5, 1, 1.7) }),
  fc.record({ kind: fc.constant('credit' as const), pick: fc.nat(10), share: fc.constantFrom(0.1, 0.5, 1) }),
  fc.record({
    kind: fc.constant('journal' as const),
    cents: fc.integer({ min: 1, max: 500_000 }),
    reverse: fc.boolean(),
  }),
);

const part = (amount: string, share: number) =>
  formatMoney((parseMoney(amount) * BigInt(Math.round(share * 100))) / 100n);

describe.each(dbKinds)('order-to-cash sequences on %s', (kind) => {
  let finance: TestClient;
  let productId: number;
  let run = 0;

  const s = useServer(kind, async ({ db, mcp: admin, connect }) => {
    finance = await connect({ role: 'finance' });
    productId = (
      await admin.ok<{ id: number }>('create_product', { sku: 'O2C', name: 'Cash Cow', price: '33.33', cost: '11.11' })
    ).id;
    await db.transaction(async (tx) => {
      await recordMovement(tx, { product_id: productId, change_qty: 100_000, reason: 'opening', unit_cost: '11.11' });
      await postEntry(tx, {
        entry_date: '2026-01-01',
        memo: 'stock',
        source: 'opening',
        lines: [
          { account: '1200', debit: 111_100_000n },
          { account: '3000', credit: 111_100_000n },
        ],
      });
    });
  });

  const approveLatest = async () => {
    const [a] = await s.db.query<{ id: number }>("select max(id) as id from approvals where status = 'pending'");
    return finance.ok<{ status: string }>('decide_approval', { approval_id: a!.id, decision: 'approve' });
  };

  it('keep the books balanced and AR equal to open invoices − unapplied credit', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        run += 1;
        const customer = (await s.mcp.ok<{ id: number }>('create_customer', { name: `O2C ${run}` })).id;
        const shipped: number[] = [];
        const invoices: { id: number; total: string }[] = [];
        let owed = 0n; // what the customer owes: invoices − payments − credit notes
        for (const o of ops) {
          if (o.kind === 'sell') {
            const order = await s.mcp.ok<{ id: number }>('create_order', {
              customer_id: customer,
              items: [{ product_id: productId, quantity: o.qty, discount: o.discount }],
            });
            await s.mcp.ok('confirm_order', { order_id: order.id });
            await s.mcp.ok('fulfill_order', { order_id: order.id });
            shipped.push(order.id);
          } else if (o.kind === 'invoice' && shipped.length > 0) {
            const orderId = shipped.splice(o.pick % shipped.length, 1)[0]!;
            const draft = await s.mcp.ok<{ id: number }>('create_invoice', {
              customer_id: customer,
              order_ids: [orderId],
              tax_rate: o.rate,
            });
            const posted = await s.mcp.ok<{ id: number; total_amount: string }>('post_invoice', {
              invoice_id: draft.id,
            });
            invoices.push({ id: posted.id, total: posted.total_amount });
            owed += parseMoney(posted.total_amount);
          } else if (o.kind === 'pay' && invoices.length > 0) {
            const amount = part(invoices[o.pick % invoices.length]!.total, o.share);
            if (parseMoney(amount) === 0n) continue;
            await s.mcp.ok('record_payment', { customer_id: customer, amount, method: 'bank' });
            owed -= parseMoney(amount);
          } else if (o.kind === 'credit' && invoices.length > 0) {
            const inv = invoices[o.pick % invoices.length]!;
            const amount = part(inv.total, o.share);
            if (parseMoney(amount) === 0n) continue;
            const held = await s.mcp.call('issue_credit_note', { invoice_id: inv.id, amount, reason: 'property test' });
            expect(held.isError).toBe(true);
            const decided = await approveLatest();
            if (decided.status === 'executed') owed -= parseMoney(amount);
            else expect(decided.status).toBe('failed'); // credited beyond the invoice total
          } else if (o.kind === 'journal') {
            const amount = formatMoney(BigInt(o.cents));
            const entry = await s.mcp.call('post_journal_entry', {
              entry_date: '2026-06-30',
              memo: 'accrual',
              lines: [
                { account: '6000', debit: amount },
                { account: '2000', credit: amount },
              ],
            });
            if (entry.isError) await approveLatest();
            if (o.reverse) {
              const [last] = await s.db.query<{ id: number }>(
                "select max(id) as id from ledger_entries where source = 'manual'",
              );
              const r = await s.mcp.call('reverse_journal_entry', { entry_id: last!.id });
              if (r.isError && (r._meta!['erp-mcp/error'] as { code: string }).code === 'APPROVAL_REQUIRED')
                await approveLatest();
            }
          }
        }
        const c = await s.mcp.ok<{ open_balance: string }>('get_customer', { customer_id: customer });
        expect(c.open_balance).toBe(formatMoney(owed));
        await expectInvariants(s.db);
      }),
      { numRuns: kind === 'pglite' ? 20 : 12 },
    );
  });
});
