import { describe, expect, it } from 'vitest';
import { scoreFeatures } from '../../src/domain/sales/lead-scoring.js';
import { dbKinds } from '../helpers/db.js';
import { useServer } from '../helpers/mcp.js';

interface Lead {
  id: number;
  score: number;
  status: string;
  customer_id: number | null;
  reasons: { feature: string; contribution: number }[];
}

describe('lead scoring model', () => {
  it('keeps every score in [0, 1] and ranks a detailed business enquiry above a job seeker', () => {
    const strong = scoreFeatures({
      company_domain: 1,
      buying_intent: 1,
      negative_intent: 0,
      product_mentions: 1,
      detail: 1,
      quantity: 1,
    });
    const weak = scoreFeatures({
      company_domain: 0,
      buying_intent: 0,
      negative_intent: 1,
      product_mentions: 0,
      detail: 0.1,
      quantity: 0,
    });
    expect(strong.score).toBeGreaterThan(0.9);
    expect(weak.score).toBeLessThan(0.05);
    expect(strong.reasons[0]).toMatchObject({ feature: 'buying_intent' });
    expect(weak.reasons[0]).toMatchObject({ feature: 'negative_intent' });
  });
});

describe.each(dbKinds)('leads and tickets on %s', (kind) => {
  const s = useServer(kind, async ({ mcp }) => {
    await mcp.ok('create_product', { sku: 'OUT-TENT-2P', name: 'Backpacking Tent', price: '249.00' });
  });

  it('create_lead scores at once, caches its features and registers the model', async () => {
    const hot = await s.mcp.ok<Lead>('create_lead', {
      customer_name: 'Trailhead Scouts',
      contact_email: 'buyer@trailhead.org',
      message: 'Please send a quote for 40 units of the Backpacking Tent, delivery before March. Bulk pricing?',
    });
    const cold = await s.mcp.ok<Lead>('create_lead', {
      customer_name: 'Jo',
      contact_email: 'jo@gmail.com',
      message: 'Any internship or job openings?',
    });
    expect(hot.score).toBeGreaterThan(0.8);
    expect(cold.score).toBeLessThan(0.2);
    expect(hot.reasons.length).toBeGreaterThan(0);
    const [cache] = await s.db.query<{ feature_json: Record<string, number> }>(
      "select feature_json from ml_features_cache where entity_type = 'lead' and entity_id = $1",
      [hot.id],
    );
    expect(cache!.feature_json).toMatchObject({ company_domain: 1, product_mentions: 1 / 3, quantity: 1 });
    expect(await s.db.query("select name, version, kind from model_registry where kind = 'lead_scoring'")).toEqual([
      { name: 'lead-score-logistic', version: '1', kind: 'lead_scoring' },
    ]);
  });

  it('list_leads puts the best score first and filters by min_score and status', async () => {
    const all = await s.mcp.ok<{ items: Lead[] }>('list_leads');
    const scores = all.items.map((l) => l.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const good = await s.mcp.ok<{ items: Lead[] }>('list_leads', { min_score: 0.5 });
    expect(good.items.every((l) => l.score >= 0.5)).toBe(true);
    const page = await s.mcp.ok<{ items: Lead[]; next_cursor: string }>('list_leads', { limit: 1 });
    const rest = await s.mcp.ok<{ items: Lead[] }>('list_leads', { limit: 10, cursor: page.next_cursor });
    expect([...page.items, ...rest.items].map((l) => l.id)).toEqual(all.items.map((l) => l.id));
  });

  it('convert_lead creates the customer once; closed leads cannot move', async () => {
    const lead = await s.mcp.ok<Lead>('create_lead', {
      customer_name: 'Convert Me Inc',
      contact_email: 'ops@convert.example',
      message: 'Need pricing',
    });
    await s.mcp.ok('update_lead_status', { lead_id: lead.id, status: 'qualified' });
    expect((await s.mcp.fail('update_lead_status', { lead_id: lead.id, status: 'won' })).message).toContain(
      'convert_lead',
    );
    const won = await s.mcp.ok<Lead>('convert_lead', { lead_id: lead.id });
    expect(won.status).toBe('won');
    expect(await s.db.query('select name, email from customers where id = $1', [won.customer_id])).toEqual([
      { name: 'Convert Me Inc', email: 'ops@convert.example' },
    ]);
    expect((await s.mcp.fail('convert_lead', { lead_id: lead.id })).code).toBe('CONFLICT');
    expect((await s.mcp.fail('update_lead_status', { lead_id: lead.id, status: 'new' })).code).toBe('CONFLICT');
    expect((await s.mcp.fail('score_lead', { lead_id: 99999 })).code).toBe('NOT_FOUND');
  });

  it('tickets open, move through statuses, list per customer, and stay closed', async () => {
    const c = await s.mcp.ok<{ id: number }>('create_customer', { name: 'Ticket Holder' });
    const t = await s.mcp.ok<{ id: number; status: string }>('create_ticket', {
      customer_id: c.id,
      subject: 'Tent pole broke',
      body: 'Second day out.',
    });
    expect(t.status).toBe('open');
    expect((await s.mcp.ok<{ status: string }>('update_ticket', { ticket_id: t.id, status: 'resolved' })).status).toBe(
      'resolved',
    );
    await s.mcp.ok('update_ticket', { ticket_id: t.id, status: 'closed' });
    expect((await s.mcp.fail('update_ticket', { ticket_id: t.id, status: 'open' })).code).toBe('CONFLICT');
    expect((await s.mcp.fail('update_ticket', { ticket_id: t.id })).code).toBe('INVALID_INPUT');
    expect((await s.mcp.fail('create_ticket', { customer_id: 99999, subject: 'x' })).code).toBe('NOT_FOUND');
    const list = await s.mcp.ok<{ items: { id: number }[] }>('list_tickets', { customer_id: c.id, status: 'closed' });
    expect(list.items.map((x) => x.id)).toEqual([t.id]);
  });
});
