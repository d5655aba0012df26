// Over random sequences of calls, with failures injected at random into the audit insert and into
// the work itself, every committed customer, order and payment is covered by the audit row of the
// call that made it, and the chain verifies.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dbKinds } from '../helpers/db.js';
import { useServer } from '../helpers/mcp.js';

type Fault = 'none' | 'audit' | 'work';
type Call =
  | { kind: 'customer'; fault: Fault }
  | { kind: 'order'; qty: number; fault: Fault }
  | { kind: 'confirm'; pick: number; fault: Fault }
  | { kind: 'payment'; cents: number; fault: Fault };

const fault = fc.constantFrom<Fault>('none', 'none', 'audit', 'work');
const call: fc.Arbitrary<Call> = fc.oneof(
  fc.record({ kind: fc.constant('customer' as const), fault }),
  fc.record({ kind: fc.constant('order' as const), qty: fc.integer({ min: 1, max: 3 }), fault }),
  fc.record({ kind: fc.constant('confirm' as const), pick: fc.nat(10), fault }),
  fc.record({ kind: fc.constant('payment' as const), cents: fc.integer({ min: 1, max: 5000 }), fault }),
);

describe.each(dbKinds)('audit coverage under injected failures on %s', (kind) => {
  let customerId: number;
  let productId: number;
  const s = useServer(kind, async ({ db, mcp }) => {
    customerId = (await mcp.ok<{ id: number }>('create_customer', { name: 'Covered Buyer' })).id;
    productId = (
      await mcp.ok<{ id: number }>('create_product', { sku: 'COVER-1', name: 'Covered', price: '4.00', cost: '1.00' })
    ).id;
    await mcp.ok('receive_stock', { product_id: productId, quantity: 10_000, unit_cost: '1.00' });
    // Faults armed by the test: the audit insert of a successful call fails, or the work fails
    // after it has written (a stock movement, an order, a customer) but before it commits.
    await db.owner.exec(`
      create table erp_test_fault (only_row boolean primary key default true, armed text not null default 'none');
      insert into erp_test_fault default values;
      create function erp_test_fail_audit() returns trigger language plpgsql as $$ begin
        if new.status = 'ok' and (select armed from erp_test_fault) = 'audit' then raise exception 'injected: audit insert failed'; end if;
        return new; end $$;
      create trigger erp_test_fail_audit before insert on tool_calls for each row execute function erp_test_fail_audit();
      create function erp_test_fail_work() returns trigger language plpgsql as $$ begin
        if (select armed from erp_test_fault) = 'work' then raise exception 'injected: work failed after writing'; end if;
        return new; end $$;
      create trigger erp_test_fail_work after insert on ledger_entries for each row execute function erp_test_fail_work();
      create trigger erp_test_fail_work after insert on order_items for each row execute function erp_test_fail_work();
      create trigger erp_test_fail_work after insert on customers for each row execute function erp_test_fail_work();`);
  });

  const arm = (f: Fault) => s.db.owner.query('update erp_test_fault set armed = $1', [f]);

  async function perform(c: Call, orders: number[]): Promise<void> {
    await arm(c.fault);
    try {
      if (c.kind === 'customer')
        await s.mcp.call('create_customer', { name: `Covered ${Math.random().toString(36).slice(2, 8)}` });
      if (c.kind === 'order') {
        const r = await s.mcp.call('create_order', {
          customer_id: customerId,
          items: [{ product_id: productId, quantity: c.qty }],
        });
        if (!r.isError) orders.push((r.structuredContent as { id: number }).id);
      }
      if (c.kind === 'confirm' && orders.length)
        await s.mcp.call('confirm_order', { order_id: orders[c.pick % orders.length]! });
      if (c.kind === 'payment')
        await s.mcp.call('record_payment', {
          customer_id: customerId,
          amount: (c.cents / 100).toFixed(2),
          method: 'bank',
        });
    } finally {
      await arm('none');
    }
  }

  it('every committed business row has the audit row of the call that made it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 12 }), async (calls) => {
        const orders: number[] = [];
        for (const c of calls) await perform(c, orders);
        const uncovered = await s.db.query(`
        select 'customer' as kind, x.id from customers x where not exists (select 1 from tool_calls t
          where t.tool_name = 'create_customer' and t.status = 'ok' and (t.output_json->>'id')::int = x.id)
        union all select 'order', x.id from orders x where not exists (select 1 from tool_calls t
          where t.tool_name = 'create_order' and t.status = 'ok' and (t.output_json->>'id')::int = x.id)
        union all select 'payment', x.id from payments x where not exists (select 1 from tool_calls t
          where t.tool_name = 'record_payment' and t.status = 'ok' and (t.output_json->'payment'->>'id')::int = x.id
             or t.tool_name = 'record_payment' and t.status = 'ok' and (t.output_json->>'id')::int = x.id)
        union all select 'confirmation', x.id from orders x where x.confirmed_at is not null and not exists (select 1 from tool_calls t
          where t.tool_name = 'confirm_order' and t.status = 'ok' and (t.output_json->>'id')::int = x.id)`);
        expect(uncovered).toEqual([]);
      }),
      { numRuns: 12 },
    );
    const [failed] = await s.db.query<{ n: number }>(
      "select count(*)::int as n from tool_calls where status = 'error' and error_code = 'INTERNAL'",
    );
    expect(failed!.n).toBeGreaterThan(0); // the faults did fire, and were audited as failures
    expect((await s.mcp.ok<{ ok: boolean }>('verify_audit_log')).ok).toBe(true);
  }, 180_000);
});
