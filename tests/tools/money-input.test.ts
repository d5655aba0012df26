// Every money argument of every tool reads the same forms (tools/schemas.ts moneyInput, one rule
// in money.ts) and refuses the same way, naming the argument by its path before any work is done.
import { describe, expect, it } from 'vitest';
import { count, dbKinds } from '../helpers/db.js';
import { useServer } from '../helpers/mcp.js';

const BAD: [unknown, RegExp][] = [
  ['12.345', /must be an amount with at most 2 decimals, like "12\.50" or 12\.5 \(got "12\.345"\)/],
  [12.345, /must be an amount with at most 2 decimals/],
  [0.1 + 0.2, /must be an amount with at most 2 decimals/],
  ['1,50', /must be an amount with at most 2 decimals/],
  ['twelve', /must be an amount with at most 2 decimals/],
  ['1000000000000.00', /is more than the largest amount the books hold \(999999999999\.99\)/],
];

describe.each(dbKinds)('money arguments on %s', (kind) => {
  const ids = { customer: 0, product: 0, supplier: 0 };
  const s = useServer(kind, async ({ mcp }) => {
    ids.customer = (await mcp.ok<{ id: number }>('create_customer', { name: 'Money Forms Ltd' })).id;
    ids.product = (await mcp.ok<{ id: number }>('create_product', { sku: 'MNY-1', name: 'Coin', price: '10.00' })).id;
    ids.supplier = (await mcp.ok<{ id: number }>('create_supplier', { name: 'Mint' })).id;
  });

  /** Each tool's call with one money argument set to `v`, and that argument's path. */
  const calls = (v: unknown): [string, Record<string, unknown>, string][] => [
    ['create_product', { sku: 'MNY-X', name: 'X', price: v }, 'price'],
    ['create_product', { sku: 'MNY-X', name: 'X', price: '1.00', cost: v }, 'cost'],
    ['update_product', { product_id: ids.product, price: v }, 'price'],
    ['update_product', { product_id: ids.product, cost: v }, 'cost'],
    [
      'create_order',
      { customer_id: ids.customer, items: [{ product_id: ids.product, quantity: 1, price: v }] },
      'items.0.price',
    ],
    [
      'create_invoice',
      { customer_id: ids.customer, lines: [{ description: 'x', quantity: 1, unit_price: v }] },
      'lines.0.unit_price',
    ],
    ['issue_credit_note', { invoice_id: 1, amount: v, reason: 'r' }, 'amount'],
    ['record_payment', { customer_id: ids.customer, amount: v, method: 'cash' }, 'amount'],
    [
      'record_payment',
      { customer_id: ids.customer, amount: '1.00', method: 'cash', allocations: [{ invoice_id: 1, amount: v }] },
      'allocations.0.amount',
    ],
    ['allocate_payment', { payment_id: 1, invoice_id: 1, amount: v }, 'amount'],
    [
      'post_journal_entry',
      {
        entry_date: '2030-01-01',
        memo: 'm',
        lines: [
          { account: '6000', debit: v },
          { account: '1000', credit: '1.00' },
        ],
      },
      'lines.0.debit',
    ],
    [
      'post_journal_entry',
      {
        entry_date: '2030-01-01',
        memo: 'm',
        lines: [
          { account: '6000', debit: '1.00' },
          { account: '1000', credit: v },
        ],
      },
      'lines.1.credit',
    ],
    ['receive_stock', { product_id: ids.product, quantity: 1, unit_cost: v }, 'unit_cost'],
    ['link_supplier_product', { supplier_id: ids.supplier, product_id: ids.product, unit_cost: v }, 'unit_cost'],
  ];

  it('every money argument refuses the same bad amounts with one line naming it, and nothing is written', async () => {
    const before = {
      products: await count(s.db, 'products'),
      ledger: await count(s.db, 'ledger_entries'),
      approvals: await count(s.db, 'approvals'),
    };
    for (const [value, says] of BAD) {
      for (const [tool, args, path] of calls(value)) {
        const e = await s.mcp.fail(tool, args);
        expect(e.code, `${tool} ${path} ${JSON.stringify(value)}`).toBe('INVALID_INPUT');
        expect(e.message, `${tool} ${path} ${JSON.stringify(value)}`).toMatch(
          new RegExp(`^${path.replace(/\./g, '\\.')}: ${says.source}`),
        );
      }
    }
    expect({
      products: await count(s.db, 'products'),
      ledger: await count(s.db, 'ledger_entries'),
      approvals: await count(s.db, 'approvals'),
    }).toEqual(before);
  });

  it('a decimal string, a padded string, a whole number and a number with cents all mean the same amount', async () => {
    const prices = [];
    for (const [i, price] of ['12.5', ' 12.50 ', 12.5, '12.50'].entries()) {
      prices.push(
        (await s.mcp.ok<{ price: string }>('create_product', { sku: `MNY-F${i}`, name: 'Form', price })).price,
      );
    }
    expect(prices).toEqual(['12.50', '12.50', '12.50', '12.50']);
    const invoice = await s.mcp.ok<{ total_amount: string }>('create_invoice', {
      customer_id: ids.customer,
      lines: [
        { description: 'number', quantity: 1, unit_price: 19.99 },
        { description: 'whole', quantity: 1, unit_price: 5 },
        { description: 'string', quantity: 1, unit_price: '0.01' },
      ],
    });
    expect(invoice.total_amount).toBe('25.00');
    const link = await s.mcp.ok<{ unit_cost: string }>('link_supplier_product', {
      supplier_id: ids.supplier,
      product_id: ids.product,
      unit_cost: 3,
    });
    expect(link.unit_cost).toBe('3.00');
  });

  it("the sign is the domain's rule, said by it: a negative price is a well-formed amount that create_product refuses", async () => {
    const e = await s.mcp.fail('create_product', { sku: 'MNY-N', name: 'Negative', price: '-1.00' });
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).not.toMatch(/at most 2 decimals/);
  });
});
