import { describe, expect, it } from 'vitest';
import { count, dbKinds } from '../helpers/db.js';
import { useServer } from '../helpers/mcp.js';

interface Customer {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
}
interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

describe.each(dbKinds)('customer tools on %s', (kind) => {
  const s = useServer(kind);

  it('create_customer stores the customer and returns it with an id', async () => {
    const c = await s.mcp.ok<Customer>('create_customer', {
      name: '  Zürich Bikes AG ',
      email: 'Info@Zuerich-Bikes.ch',
      phone: '+41 44 555 01 01',
    });
    expect(c).toMatchObject({ name: 'Zürich Bikes AG', email: 'info@zuerich-bikes.ch', phone: '+41 44 555 01 01' });
    expect(await s.db.query('select name from customers where id = $1', [c.id])).toEqual([{ name: 'Zürich Bikes AG' }]);
  });

  it('update_customer changes only the fields passed and null clears the phone', async () => {
    const c = await s.mcp.ok<Customer>('create_customer', { name: 'Old Name', email: 'a@b.com', phone: '123' });
    const u = await s.mcp.ok<Customer>('update_customer', { customer_id: c.id, name: 'New Name', phone: null });
    expect(u).toMatchObject({ id: c.id, name: 'New Name', email: 'a@b.com', phone: null });
  });

  it('update_customer refuses an empty patch and an unknown customer', async () => {
    const c = await s.mcp.ok<Customer>('create_customer', { name: 'Patchless' });
    expect((await s.mcp.fail('update_customer', { customer_id: c.id })).code).toBe('INVALID_INPUT');
    expect(await s.mcp.fail('update_customer', { customer_id: 987654, name: 'X' })).toEqual({
      code: 'NOT_FOUND',
      message: 'Customer 987654 does not exist',
    });
  });

  it('get_customer shows memory, open orders and the open balance', async () => {
    const c = await s.mcp.ok<Customer>('create_customer', { name: 'Balance Co' });
    await s.mcp.ok('remember_customer_fact', { customer_id: c.id, key: 'tone', value: 'formal' });
    await s.db.query(
      "insert into orders (customer_id, total, status) values ($1, 120.50, 'confirmed'), ($1, 10, 'fulfilled')",
      [c.id],
    );
    await s.db.query(
      `insert into invoices (customer_id, invoice_number, total_amount, subtotal, status, issue_date, due_date)
       values ($1, 'INV-T-1', 300.00, 300.00, 'posted', current_date, current_date)`,
      [c.id],
    );
    await s.db.query("insert into payments (customer_id, amount, method) values ($1, 50.25, 'bank')", [c.id]);
    const detail = await s.mcp.ok<{
      memory: unknown[];
      open_orders: { total: string; status: string }[];
      open_balance: string;
    }>('get_customer', { customer_id: c.id });
    expect(detail.memory).toMatchObject([{ key: 'tone', value: 'formal' }]);
    expect(detail.open_orders).toMatchObject([{ status: 'confirmed', total: '120.50' }]);
    expect(detail.open_balance).toBe('249.75');
  });

  it('search_customers ignores case and accents in name and e-mail', async () => {
    await s.mcp.ok('create_customer', { name: 'Crème Brûlée Bistro', email: 'chef@creme.example' });
    const byName = await s.mcp.ok<Page<Customer>>('search_customers', { query: 'CREME BRULEE' });
    expect(byName.items.map((c) => c.name)).toEqual(['Crème Brûlée Bistro']);
    const byEmail = await s.mcp.ok<Page<Customer>>('search_customers', { query: 'chef@' });
    expect(byEmail.items.map((c) => c.name)).toEqual(['Crème Brûlée Bistro']);
  });

  it('search_customers treats % and _ literally', async () => {
    await s.mcp.ok('create_customer', { name: '100% Organic' });
    const page = await s.mcp.ok<Page<Customer>>('search_customers', { query: '0%' });
    expect(page.items.map((c) => c.name)).toEqual(['100% Organic']);
    expect((await s.mcp.ok<Page<Customer>>('search_customers', { query: '_' })).items).toEqual([]);
  });

  it('search_customers pages through every customer exactly once, in name order', async () => {
    const total = await count(s.db, 'customers');
    const seen: string[] = [];
    const names: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page<Customer> = await s.mcp.ok('search_customers', { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((c) => `${c.id}`));
      names.push(...page.items.map((c) => c.name.toLowerCase()));
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
    expect(pages).toBe(Math.ceil(total / 2));
  });

  it('customer memory remembers, overwrites, lists and forgets facts', async () => {
    const c = await s.mcp.ok<Customer>('create_customer', { name: 'Memory Lane Ltd' });
    await s.mcp.ok('remember_customer_fact', { customer_id: c.id, key: 'language', value: 'German' });
    await s.mcp.ok('remember_customer_fact', { customer_id: c.id, key: 'language', value: 'French' });
    await s.mcp.ok('remember_customer_fact', { customer_id: c.id, key: 'contact', value: 'Ana' });
    const memory = await s.mcp.ok<{ facts: { key: string; value: string }[] }>('get_customer_memory', {
      customer_id: c.id,
    });
    expect(memory.facts.map((f) => `${f.key}=${f.value}`)).toEqual(['contact=Ana', 'language=French']);
    await s.mcp.ok('forget_customer_fact', { customer_id: c.id, key: 'contact' });
    expect((await s.mcp.fail('forget_customer_fact', { customer_id: c.id, key: 'contact' })).code).toBe('NOT_FOUND');
    const after = await s.mcp.ok<{ facts: unknown[] }>('get_customer_memory', { customer_id: c.id });
    expect(after.facts).toHaveLength(1);
  });

  it('get_customer_memory of an unknown customer is NOT_FOUND', async () => {
    expect((await s.mcp.fail('get_customer_memory', { customer_id: 424242 })).code).toBe('NOT_FOUND');
  });

  it('every tool declares an output schema, and annotations match what it does', async () => {
    const { tools } = await s.mcp.client.listTools();
    for (const tool of tools) {
      expect(tool.outputSchema, tool.name).toBeDefined();
      expect(typeof tool.annotations?.readOnlyHint, tool.name).toBe('boolean');
    }
    const readVerbs =
      /^(get_|list_|search_|verify_|whoami|reconcile_|reorder_|check_|find_|sales_report|kpi_|forecast_|run_query|trial_balance|income_statement|balance_sheet|ar_aging|customer_statement)/;
    for (const tool of tools) expect(tool.annotations?.readOnlyHint, tool.name).toBe(readVerbs.test(tool.name));
    expect(tools.find((t) => t.name === 'forget_customer_fact')?.annotations?.destructiveHint).toBe(true);
  });
});
