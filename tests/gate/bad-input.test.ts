// Bad input gets one line naming the argument and the rule, and writes nothing: values the
// database would refuse (year 0, amounts beyond numeric(14,2), ids beyond int4) are caught first.
import { describe, expect, it } from 'vitest';
import { count, dbKinds } from '../helpers/db.js';
import { useServer } from '../helpers/mcp.js';

const cursorOf = (key: unknown[]) => Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');

describe.each(dbKinds)('bad input on %s', (kind) => {
  const s = useServer(kind, async ({ mcp }) => {
    const c = await mcp.ok<{ id: number }>('create_customer', { name: 'Input Co' });
    await mcp.ok('create_product', { sku: 'BIG-1', name: 'Big', price: '999999999.99' });
    Object.assign(ids, { customer: c.id });
  });
  const ids = { customer: 0 };

  it('names the argument of every refusal, and nothing is written', async () => {
    const before = { invoices: await count(s.db, 'invoices'), orders: await count(s.db, 'orders') };
    const cases: [string, Record<string, unknown>, RegExp][] = [
      [
        'create_invoice',
        {
          customer_id: ids.customer,
          issue_date: '0000-01-01',
          lines: [{ description: 'x', quantity: 1, unit_price: '1.00' }],
        },
        /^issue_date: date must be a real calendar date between 0001-01-01/,
      ],
      [
        'create_invoice',
        { customer_id: ids.customer, lines: [{ description: 'x', quantity: 99999, unit_price: '999999999999.99' }] },
        /^lines\[0\]: quantity × unit_price with tax would be .* more than the largest amount the books hold/,
      ],
      [
        'create_order',
        { customer_id: ids.customer, items: [{ sku: 'BIG-1', quantity: 5000 }] },
        /^items\[0\]: quantity × price would be 4999999999950\.00/,
      ],
      [
        'create_order',
        {
          customer_id: ids.customer,
          items: [
            { sku: 'BIG-1', quantity: 600 },
            { sku: 'BIG-1', quantity: 600 },
          ],
        },
        /^the order total would be/,
      ],
      [
        'list_tool_calls',
        { since: '0000-01-01T00:00:00Z' },
        /^since: must be an ISO 8601 date or timestamp between years 1 and 9999/,
      ],
      [
        'search_customers',
        { cursor: cursorOf(['input co', 4294967296]) },
        /^cursor is not a cursor this server returned/,
      ],
      ['get_customer', { customer_id: 4294967296 }, /^customer_id: /],
      ['record_payment', { customer_id: ids.customer, amount: '1000000000000.00', method: 'cash' }, /^amount/],
      ['create_customer', { name: 'Half \udc00 surrogate' }, /^name: must be well-formed Unicode/],
      [
        'add_message',
        { conversation_id: 1, sender: 'me', content: 'a\u0000b' },
        /^content: must not contain the NUL character/,
      ],
    ];
    for (const [tool, args, says] of cases) {
      const e = await s.mcp.fail(tool, args);
      expect(e.code, tool).toBe('INVALID_INPUT');
      expect(e.message, `${tool} ${JSON.stringify(args)}`).toMatch(says);
    }
    expect({ invoices: await count(s.db, 'invoices'), orders: await count(s.db, 'orders') }).toEqual(before);
  });
});
