import { describe, expect, it } from 'vitest';
import { count, dbKinds, freshDb } from '../helpers/db.js';
import { expectInvariants } from '../helpers/invariants.js';
import { connect, useServer, type TestClient } from '../helpers/mcp.js';

interface Level {
  product_id: number;
  sku: string;
  qty_on_hand: number;
  reserved_qty: number;
  available: number;
  unit_cost: string;
  stock_value: string;
  new_unit_cost?: string;
}

describe.each(dbKinds)('inventory on %s', (kind) => {
  let inventory: TestClient;
  let finance: TestClient;
  const s = useServer(kind, async (s) => {
    inventory = await s.connect({ role: 'inventory' });
    finance = await s.connect({ role: 'finance' });
  });
  let seq = 0;
  const product = async (cost: string, reorder = 0) => {
    seq += 1;
    return s.mcp.ok<{ id: number; sku: string }>('create_product', {
      sku: `INV-${seq}`,
      name: `Stock item ${seq}`,
      price: '50.00',
      cost,
      reorder_point: reorder,
    });
  };

  it('receive_stock books a purchase movement and Dr 1200 / Cr 2000 at cost', async () => {
    const p = await product('10.00');
    const r = await inventory.ok<Level>('receive_stock', { product_id: p.id, quantity: 5, reference: 'PO-1' });
    expect(r).toMatchObject({ qty_on_hand: 5, available: 5, new_unit_cost: '10.00', stock_value: '50.00' });
    const lines = await s.db.query(
      `select l.account, l.debit, l.credit from ledger_lines l join ledger_entries e on e.id = l.entry_id
      where e.source = 'purchase' and e.source_id = $1 order by l.account`,
      [(r as unknown as { movement_id: number }).movement_id],
    );
    expect(lines).toEqual([
      { account: '1200', debit: '50.00', credit: '0.00' },
      { account: '2000', debit: '0.00', credit: '50.00' },
    ]);
    await expectInvariants(s.db);
  });

  it('a receipt at another cost moves the product to the weighted average and keeps 1200 exact', async () => {
    const p = await product('10.00');
    await inventory.ok('receive_stock', { product_id: p.id, quantity: 3 });
    const r = await inventory.ok<Level>('receive_stock', { product_id: p.id, quantity: 4, unit_cost: '11.11' });
    // (3 × 10.00 + 4 × 11.11) / 7 = 10.6343 → 10.63; 7 × 10.63 = 74.41 vs 74.44 paid: 0.03 to 5000
    expect(r).toMatchObject({ qty_on_hand: 7, new_unit_cost: '10.63', stock_value: '74.41' });
    await expectInvariants(s.db);
  });

  it('adjust_stock books count gains and losses at cost', async () => {
    const p = await product('2.50');
    await inventory.ok('receive_stock', { product_id: p.id, quantity: 10 });
    expect(
      await inventory.ok<Level & { value: string }>('adjust_stock', {
        product_id: p.id,
        change_qty: 2,
        reason: 'Found behind shelf',
      }),
    ).toMatchObject({ qty_on_hand: 12, value: '5.00' });
    expect(
      (await inventory.ok<Level>('adjust_stock', { product_id: p.id, change_qty: -3, reason: 'Miscount' })).qty_on_hand,
    ).toBe(9);
    const moves = await inventory.ok<{ items: { reason: string; change_qty: number; note: string }[] }>(
      'list_stock_movements',
      { product_id: p.id },
    );
    expect(moves.items.map((m) => `${m.reason}${m.change_qty}`)).toEqual(['adjustment-3', 'adjustment2', 'purchase10']);
    await expectInvariants(s.db);
  });

  it('refuses to remove reserved or missing stock, naming the product, and bad quantities', async () => {
    const p = await product('1.00');
    await inventory.ok('receive_stock', { product_id: p.id, quantity: 2 });
    const c = await s.mcp.ok<{ id: number }>('create_customer', { name: 'Reserver' });
    const o = await s.mcp.ok<{ id: number }>('create_order', {
      customer_id: c.id,
      items: [{ product_id: p.id, quantity: 2 }],
    });
    await s.mcp.ok('confirm_order', { order_id: o.id });
    const e = await inventory.fail('adjust_stock', { product_id: p.id, change_qty: -1, reason: 'Broken' });
    expect(e.code).toBe('INSUFFICIENT_STOCK');
    expect(e.message).toContain(`Stock item ${seq}`);
    expect((await inventory.fail('receive_stock', { product_id: p.id, quantity: 0 })).code).toBe('INVALID_INPUT');
    expect((await inventory.fail('adjust_stock', { product_id: p.id, change_qty: 0, reason: 'x' })).code).toBe(
      'INVALID_INPUT',
    );
    expect(
      (await inventory.fail('adjust_stock', { product_id: p.id, change_qty: 5, reason: 'x', kind: 'write_off' })).code,
    ).toBe('INVALID_INPUT');
    expect((await inventory.fail('receive_stock', { product_id: 99999, quantity: 1 })).code).toBe('NOT_FOUND');
    expect((await inventory.fail('receive_stock', { product_id: p.id, quantity: 1, supplier_id: 99999 })).code).toBe(
      'NOT_FOUND',
    );
    expect(await inventory.ok<Level>('get_stock', { sku: p.sku })).toMatchObject({
      qty_on_hand: 2,
      reserved_qty: 2,
      available: 0,
    });
  });

  it('a write-off above 1,000.00 waits for an inventory approver; finance may not approve it', async () => {
    const p = await product('300.00');
    await inventory.ok('receive_stock', { product_id: p.id, quantity: 10 });
    expect(
      (
        await inventory.ok<Level>('adjust_stock', {
          product_id: p.id,
          change_qty: -1,
          reason: 'Scratched',
          kind: 'write_off',
        })
      ).qty_on_hand,
    ).toBe(9);
    const before = await count(s.db, 'stock_movements');
    const held = await s.mcp.fail('adjust_stock', {
      product_id: p.id,
      change_qty: -4,
      reason: 'Flood damage',
      kind: 'write_off',
    });
    expect(held.code).toBe('APPROVAL_REQUIRED');
    expect(held.message).toContain('1200.00');
    expect(await count(s.db, 'stock_movements')).toBe(before);
    const approvalId = (held as unknown as { details: { approval_id: number } }).details.approval_id;
    expect((await finance.fail('decide_approval', { approval_id: approvalId, decision: 'approve' })).code).toBe(
      'FORBIDDEN',
    );
    expect(
      (await inventory.ok<{ status: string }>('decide_approval', { approval_id: approvalId, decision: 'approve' }))
        .status,
    ).toBe('executed');
    expect((await inventory.ok<Level>('get_stock', { product_id: p.id })).qty_on_hand).toBe(5);
    await expectInvariants(s.db);
  });

  it('suppliers: create, link (idempotently), list', async () => {
    const s = await inventory.ok<{ id: number }>('create_supplier', {
      name: 'Acme Parts',
      email: 'sales@acme.example',
    });
    const p = await product('5.00', 4);
    await inventory.ok('link_supplier_product', {
      supplier_id: s.id,
      product_id: p.id,
      unit_cost: '4.50',
      lead_time_days: 7,
    });
    const again = await inventory.ok<{ unit_cost: string; lead_time_days: number }>('link_supplier_product', {
      supplier_id: s.id,
      product_id: p.id,
      unit_cost: 4.4,
    });
    expect(again).toMatchObject({ unit_cost: '4.40', lead_time_days: 7 });
    expect((await inventory.fail('link_supplier_product', { supplier_id: 99999, product_id: p.id })).code).toBe(
      'NOT_FOUND',
    );
    const list = await inventory.ok<{ items: { name: string; products: number }[] }>('list_suppliers');
    expect(list.items.find((x) => x.name === 'Acme Parts')?.products).toBe(1);
  });

  it('reorder_suggestions groups short products by their cheapest supplier with a suggested quantity', async () => {
    const cheap = await inventory.ok<{ id: number }>('create_supplier', { name: 'Cheap Co' });
    const dear = await inventory.ok<{ id: number }>('create_supplier', { name: 'Dear Co' });
    const p = await product('8.00', 10);
    await inventory.ok('receive_stock', { product_id: p.id, quantity: 3 });
    await inventory.ok('link_supplier_product', { supplier_id: dear.id, product_id: p.id, unit_cost: '9.00' });
    await inventory.ok('link_supplier_product', { supplier_id: cheap.id, product_id: p.id, unit_cost: '7.00' });
    const r = await inventory.ok<{
      suppliers: {
        supplier_name: string | null;
        items: { product_id: number; suggested_qty: number; line_cost: string }[];
      }[];
    }>('reorder_suggestions');
    const group = r.suppliers.find((g) => g.items.some((i) => i.product_id === p.id))!;
    expect(group.supplier_name).toBe('Cheap Co');
    expect(group.items.find((i) => i.product_id === p.id)).toMatchObject({ suggested_qty: 17, line_cost: '119.00' });
    const below = await inventory.ok<{ items: { product_id: number }[] }>('list_stock', {
      below_reorder_point: true,
      limit: 500,
    });
    expect(below.items.map((i) => i.product_id)).toContain(p.id);
  });

  it('reconcile_stock finds none off, and finds a product whose movements were tampered with', async () => {
    expect((await inventory.ok<{ ok: boolean }>('reconcile_stock')).ok).toBe(true);
    const fresh = await freshDb(kind);
    const client = await connect(fresh);
    const p = await client.ok<{ id: number }>('create_product', { sku: 'TAMPER', name: 'Tamper', price: '1.00' });
    await client.ok('receive_stock', { product_id: p.id, quantity: 5 });
    await fresh.query('update stock set qty_on_hand = 7 where product_id = $1', [p.id]);
    const r = await client.ok<{ ok: boolean; discrepancies: { product_id: number; difference: number }[] }>(
      'reconcile_stock',
    );
    expect(r).toMatchObject({ ok: false, discrepancies: [{ product_id: p.id, difference: 2 }] });
    await client.close();
    await fresh.close();
  });

  if (kind === 'postgres') {
    it('20 concurrent clients taking the last 10 units: exactly 10 succeed', async () => {
      const p = await product('1.00');
      await inventory.ok('receive_stock', { product_id: p.id, quantity: 10 });
      const clients = await Promise.all(Array.from({ length: 20 }, () => connect(s.db)));
      const results = await Promise.all(
        clients.map((c) => c.call('adjust_stock', { product_id: p.id, change_qty: -1, reason: 'race' })),
      );
      expect(results.filter((r) => !r.isError)).toHaveLength(10);
      expect(
        results.filter((r) => (r.content[0] as { text: string }).text.startsWith('INSUFFICIENT_STOCK')),
      ).toHaveLength(10);
      expect((await s.mcp.ok<Level>('get_stock', { product_id: p.id })).qty_on_hand).toBe(0);
      await Promise.all(clients.map((c) => c.close()));
      await expectInvariants(s.db);
    });
  }
});
