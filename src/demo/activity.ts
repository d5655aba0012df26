// A year of believable trading for the demo company: orders in every status spread over the last
// twelve months, leads and support tickets. Deterministic (seeded PRNG), so every demo looks alike.
import type { Tx } from '../db/types.js';
import { daysAgo } from '../domain/shared/clock.js';
import { createLead, updateLeadStatus, convertLead } from '../domain/sales/leads.js';
import { cancelOrder, confirmOrder, createOrder, fulfillOrder } from '../domain/sales/orders.js';
import { createTicket, updateTicket } from '../domain/sales/tickets.js';
import { demoLeads, demoTickets } from './data.js';

/** mulberry32: a tiny seeded PRNG, good enough for demo data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export type PlannedStatus = 'draft' | 'confirmed' | 'fulfilled' | 'cancelled';

export interface PlannedOrder {
  customer: number;
  daysAgo: number;
  status: PlannedStatus;
  lines: { product: number; quantity: number; discount: number }[];
}

/** ~14 orders a month; recent ones are still open, older ones mostly shipped, a few cancelled. */
export function planOrders(customers: number, products: number, count = 170): PlannedOrder[] {
  const rand = prng(20_261_125);
  const pick = (n: number) => Math.floor(rand() * n);
  const plan = Array.from({ length: count }, (): PlannedOrder => {
    const daysAgo = pick(365);
    const r = rand();
    const status: PlannedStatus =
      daysAgo < 21 ? (['draft', 'confirmed', 'fulfilled'] as const)[pick(3)]! : r < 0.08 ? 'cancelled' : 'fulfilled';
    const lines = Array.from({ length: 1 + pick(3) }, () => ({
      product: pick(products),
      quantity: 1 + pick(rand() < 0.8 ? 4 : 12),
      discount: rand() < 0.2 ? 0.1 : rand() < 0.1 ? 0.05 : 0,
    }));
    return { customer: pick(customers), daysAgo, status, lines };
  }).sort((a, b) => b.daysAgo - a.daysAgo);
  plan[plan.length - 1]!.status = 'draft'; // the newest order is always still being put together
  return plan;
}

/** Units each product must have in opening stock so the planned orders can be confirmed and shipped. */
export function unitsCommitted(plan: PlannedOrder[], products: number): number[] {
  const units = new Array<number>(products).fill(0);
  for (const o of plan)
    if (o.status === 'confirmed' || o.status === 'fulfilled') for (const l of o.lines) units[l.product]! += l.quantity;
  return units;
}

const isoDaysAgo = (days: number, hour = 10) => `${daysAgo(days)}T${String(hour).padStart(2, '0')}:00:00Z`;

export async function seedOrders(
  tx: Tx,
  plan: PlannedOrder[],
  customerIds: number[],
  productIds: number[],
  userId: number,
): Promise<void> {
  for (const o of plan) {
    const items = o.lines.map((l) => ({
      product_id: productIds[l.product]!,
      quantity: l.quantity,
      discount: l.discount,
    }));
    const id = await createOrder(tx, customerIds[o.customer]!, items);
    const created = isoDaysAgo(o.daysAgo, 9);
    const shipped = isoDaysAgo(Math.max(0, o.daysAgo - 2), 15);
    if (o.status === 'confirmed' || o.status === 'fulfilled') await confirmOrder(tx, id);
    if (o.status === 'fulfilled') await fulfillOrder(tx, id, userId, shipped.slice(0, 10));
    if (o.status === 'cancelled') await cancelOrder(tx, id, 'Customer postponed the purchase');
    await tx.query(
      `update orders set created_at = $2,
         confirmed_at = case when confirmed_at is null then null else $2::timestamptz + interval '2 hours' end,
         fulfilled_at = case when fulfilled_at is null then null else $3::timestamptz end,
         cancelled_at = case when cancelled_at is null then null else $2::timestamptz + interval '1 day' end
       where id = $1`,
      [id, created, shipped],
    );
    await tx.query(`update stock_movements set created_at = $2 where reason = 'sale' and ref_id = $1`, [id, shipped]);
  }
}

export async function seedLeadsAndTickets(tx: Tx, customerIds: number[]): Promise<void> {
  for (const [i, [name, email, message, outcome]] of demoLeads.entries()) {
    const lead = await createLead(tx, { customer_name: name, contact_email: email, message });
    if (outcome === 'won') await convertLead(tx, lead.id);
    else if (outcome !== 'new') await updateLeadStatus(tx, lead.id, outcome);
    await tx.query('update leads set created_at = $2 where id = $1', [lead.id, isoDaysAgo(3 + i * 9)]);
  }
  for (const [i, [customer, subject, body, status]] of demoTickets.entries()) {
    const ticket = await createTicket(tx, { customer_id: customerIds[customer]!, subject, body });
    if (status !== 'open') await updateTicket(tx, ticket.id, { status });
    await tx.query('update tickets set created_at = $2, updated_at = $2 where id = $1', [
      ticket.id,
      isoDaysAgo(1 + i * 11),
    ]);
  }
}
