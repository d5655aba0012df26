// Four eyes (issue 13): the approvals policy lives in the domain, applies to the value of an
// effect whatever label the caller gives it, is listed by a tool and in erp://schema, and an
// approval runs its frozen call against the full catalogue, whatever the deciding server offers.
import { describe, expect, it } from 'vitest';
import { APPROVAL_POLICY } from '../../src/domain/platform/approval-policy.js';
import { allTools } from '../../src/tools/index.js';
import { count, dbKinds } from '../helpers/db.js';
import { expectInvariants } from '../helpers/invariants.js';
import { connect, type TestClient, useServer } from '../helpers/mcp.js';

interface Approval {
  id: number;
  status: string;
  action: string;
  module: string;
  result_json: unknown;
}
interface Level {
  qty_on_hand: number;
}
interface Rule {
  action: string;
  module: string;
  threshold: string | null;
  approver_roles: string[];
  applies_when: string;
}

const approvalIdOf = (e: { code: string }) =>
  (e as unknown as { details: { approval_id: number } }).details.approval_id;

describe.each(dbKinds)('four eyes on %s', (kind) => {
  let clerk: TestClient;
  /** A second inventory user, deciding from a server that offers only router and finance tools. */
  let approver: TestClient;
  let finance: TestClient;
  const s = useServer(kind, async (s) => {
    clerk = await s.connect({ role: 'inventory', email: 'clerk@eyes.test' });
    approver = await s.connect({ role: 'inventory', email: 'approver@eyes.test', toolsets: ['router', 'finance'] });
    finance = await s.connect({ role: 'finance', email: 'finance@eyes.test' });
  });
  let seq = 0;
  const product = async (cost: string, onHand: number, price = '900.00') => {
    seq += 1;
    const p = await s.mcp.ok<{ id: number }>('create_product', {
      sku: `EYES-${seq}`,
      name: `Guarded item ${seq}`,
      price,
      cost,
    });
    if (onHand > 0) await s.mcp.ok('receive_stock', { product_id: p.id, quantity: onHand });
    return p.id;
  };
  const books = async () => ({
    movements: await count(s.db, 'stock_movements'),
    entries: await count(s.db, 'ledger_entries'),
  });

  it('a count loss of 10 × 500.00 waits for approval, like the same write-off', async () => {
    const id = await product('500.00', 20);
    const before = await books();
    for (const kind of ['count', 'write_off']) {
      const held = await clerk.fail('adjust_stock', {
        product_id: id,
        change_qty: -10,
        reason: 'Shelf collapsed',
        kind,
      });
      expect(held.code).toBe('APPROVAL_REQUIRED');
      expect(held.message).toContain('5000.00');
    }
    expect(await books()).toEqual(before);
  });

  it('a count gain of 1,000,000 units waits for approval instead of booking 500,000,000.00 of other income', async () => {
    const id = await product('500.00', 1);
    const before = await books();
    const held = await clerk.fail('adjust_stock', {
      product_id: id,
      change_qty: 1_000_000,
      reason: 'Found a warehouse',
    });
    expect(held.code).toBe('APPROVAL_REQUIRED');
    expect(held.message).toContain('500000000.00');
    expect(await books()).toEqual(before);
  });

  it('every kind adjust_stock offers, gain or loss, waits above the threshold and runs at or below it', async () => {
    const { tools } = await clerk.client.listTools();
    const kinds = (tools.find((t) => t.name === 'adjust_stock')!.inputSchema.properties!.kind as { enum: string[] })
      .enum;
    expect(kinds.length).toBeGreaterThanOrEqual(2);
    const id = await product('500.00', 100);
    for (const kind of kinds) {
      const signs = kind === 'write_off' ? [-1] : [-1, 1];
      for (const sign of signs) {
        const label = `${kind} ${sign > 0 ? 'gain' : 'loss'} (water damage)`;
        const held = await clerk.fail('adjust_stock', { product_id: id, change_qty: 3 * sign, reason: label, kind });
        expect(held.code, label).toBe('APPROVAL_REQUIRED');
        const small = await clerk.ok<{ value: string }>('adjust_stock', {
          product_id: id,
          change_qty: 2 * sign,
          reason: label,
          kind,
        });
        expect(small.value, `${label}: 2 × 500.00 is not above 1000.00`).toBe('1000.00');
      }
    }
    await expectInvariants(s.db);
  });

  it('a product carried at zero cost is valued at its price, so a large gain still waits', async () => {
    const id = await product('0.00', 0, '150.00');
    const held = await clerk.fail('adjust_stock', { product_id: id, change_qty: 7, reason: 'Samples found' });
    expect(held.code).toBe('APPROVAL_REQUIRED');
    expect(held.message).toContain('1050.00');
    expect(
      (await clerk.ok<Level>('adjust_stock', { product_id: id, change_qty: 6, reason: 'Samples found' })).qty_on_hand,
    ).toBe(6);
  });

  it('the requester cannot approve their own adjustment, and finance may not approve stock', async () => {
    const id = await product('400.00', 10);
    const held = await clerk.fail('adjust_stock', { product_id: id, change_qty: -3, reason: 'Broken in transit' });
    const approvalId = approvalIdOf(held);
    expect(await clerk.fail('decide_approval', { approval_id: approvalId, decision: 'approve' })).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await finance.fail('decide_approval', { approval_id: approvalId, decision: 'approve' })).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect((await s.mcp.ok<Approval>('get_approval', { approval_id: approvalId })).status).toBe('pending');
  });

  it('a held adjustment runs once, approved by another inventory user on a server offering only router and finance', async () => {
    const id = await product('500.00', 20);
    const held = await clerk.fail('adjust_stock', {
      product_id: id,
      change_qty: -10,
      reason: 'Flood',
      kind: 'write_off',
    });
    const offered = (await approver.client.listTools()).tools.map((t) => t.name);
    expect(offered).not.toContain('adjust_stock');
    const done = await approver.ok<Approval>('decide_approval', {
      approval_id: approvalIdOf(held),
      decision: 'approve',
    });
    expect(done).toMatchObject({
      status: 'executed',
      action: 'adjust_stock',
      module: 'inventory',
      result_json: { qty_on_hand: 10, value: '5000.00' },
    });
    expect((await s.mcp.ok<Level>('get_stock', { product_id: id })).qty_on_hand).toBe(10);
    expect((await approver.fail('decide_approval', { approval_id: done.id, decision: 'approve' })).code).toBe(
      'CONFLICT',
    );
    await expectInvariants(s.db);
  });

  it('an approved action that fails in the database is recorded as failed, and changes nothing', async () => {
    // A refusal raised by PostgreSQL itself mid-action, after the stock row was already updated.
    await s.db.owner.exec(`
      create function eyes_refuse() returns trigger language plpgsql as $$
      begin raise exception 'refused by the test trigger' using errcode = '23514'; end $$;
      create trigger eyes_refuse before insert on stock_movements for each row
        when (new.note = 'refuse in the database') execute function eyes_refuse();`);
    const id = await product('500.00', 20);
    const held = await clerk.fail('adjust_stock', {
      product_id: id,
      change_qty: -10,
      reason: 'refuse in the database',
      kind: 'write_off',
    });
    const before = await books();
    const decided = await s.mcp.ok<Approval>('decide_approval', {
      approval_id: approvalIdOf(held),
      decision: 'approve',
    });
    expect(decided).toMatchObject({ status: 'failed', result_json: { error: { code: 'INVALID_INPUT' } } });
    expect((await s.mcp.ok<Approval>('get_approval', { approval_id: decided.id })).status).toBe('failed');
    expect(await books()).toEqual(before);
    expect((await s.mcp.ok<Level>('get_stock', { product_id: id })).qty_on_hand).toBe(20);
    await expectInvariants(s.db);
  });

  it('list_approval_policies lists every rule, for every role, with its threshold and approvers', async () => {
    const viewer = await connect(s.db, { role: 'viewer', email: 'viewer@eyes.test' });
    const page = await viewer.ok<{ items: Rule[]; next_cursor: string | null }>('list_approval_policies');
    await viewer.close();
    const rules = Object.fromEntries(page.items.map((r) => [r.action, r]));
    expect(Object.keys(rules).sort()).toEqual([
      'adjust_stock',
      'create_user',
      'enable_user',
      'issue_credit_note',
      'post_journal_entry',
      'reverse_journal_entry',
      'set_lock_date',
      'set_user_role',
    ]);
    expect(rules.set_user_role).toMatchObject({
      module: 'users',
      threshold: null,
      approver_roles: ['admin'],
      applies_when: expect.stringContaining('admin'),
    });
    expect(rules.adjust_stock).toMatchObject({
      module: 'inventory',
      threshold: '1000.00',
      approver_roles: ['admin', 'inventory'],
    });
    expect(rules.post_journal_entry).toMatchObject({
      module: 'finance',
      threshold: '10000.00',
      approver_roles: ['admin', 'finance'],
    });
    expect(rules.issue_credit_note).toMatchObject({ threshold: null, approver_roles: ['admin', 'finance'] });
    expect(page.next_cursor).toBeNull();
    const two = await s.mcp.ok<{ items: Rule[]; next_cursor: string }>('list_approval_policies', { limit: 2 });
    const rest = await s.mcp.ok<{ items: Rule[] }>('list_approval_policies', { limit: 10, cursor: two.next_cursor });
    expect([...two.items, ...rest.items].map((r) => r.action)).toEqual(page.items.map((r) => r.action));
  });

  it('a threshold set in settings is the one listed and applied', async () => {
    await s.db.owner.query(
      "insert into settings (key, value) values ('approval_threshold.stock_adjustment', '5000.00')",
    );
    try {
      const listed = await clerk.ok<{ items: Rule[] }>('list_approval_policies');
      expect(listed.items.find((r) => r.action === 'adjust_stock')?.threshold).toBe('5000.00');
      const id = await product('500.00', 30);
      expect(
        (await clerk.ok<{ value: string }>('adjust_stock', { product_id: id, change_qty: -10, reason: 'Recount' }))
          .value,
      ).toBe('5000.00');
      const held = await clerk.fail('adjust_stock', {
        product_id: id,
        change_qty: -11,
        kind: 'write_off',
        reason: 'Scratch',
      });
      expect(held).toMatchObject({ code: 'APPROVAL_REQUIRED', message: expect.stringContaining('above 5000.00') });
    } finally {
      await s.db.owner.query("delete from settings where key = 'approval_threshold.stock_adjustment'");
    }
  });

  it('erp://schema ends with the approval policy', async () => {
    const { contents } = await s.mcp.client.readResource({ uri: 'erp://schema' });
    const text = (contents[0] as { text: string }).text;
    const section = text.split('# Approval policy')[1];
    expect(section, 'an "# Approval policy" section').toBeDefined();
    expect(text.indexOf('# Approval policy')).toBeGreaterThan(text.indexOf('# Reporting views (run_query)'));
    expect(section).toMatch(/`adjust_stock`.*1000\.00/);
    expect(section).toMatch(/`post_journal_entry`.*10000\.00/);
    expect(section).toContain('admin, inventory');
  });

  it('the policy and the tools agree: a tool is held exactly when the policy names it', () => {
    const guarded = allTools
      .filter((t) => t.approval)
      .map((t) => t.name)
      .sort();
    expect(guarded).toEqual(APPROVAL_POLICY.map((r) => r.action).sort());
  });
});
