// Leads: enquiries scored on arrival (lead-scoring.ts), worked through new → contacted →
// qualified, and ended as won (convert_lead makes the customer) or lost.
import type { Tx } from '../../db/types.js';
import { conflict, notFound } from '../shared/errors.js';
import { decodeCursor, toPage, type Page } from '../shared/pagination.js';
import { createCustomer } from './customers.js';
import { leadFeatures, leadModelId, scoreFeatures, type LeadScore } from './lead-scoring.js';

export const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'won', 'lost'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export interface Lead {
  id: number;
  customer_name: string;
  contact_email: string | null;
  message: string;
  score: number | null;
  status: LeadStatus;
  customer_id: number | null;
  created_at: string;
}

export interface ScoredLead extends Lead {
  score: number;
  reasons: LeadScore['reasons'];
  model: string;
}

const COLUMNS = 'id, customer_name, contact_email, message, score::float8 as score, status, customer_id, created_at';

export async function requireLead(tx: Tx, id: number, lock = false): Promise<Lead> {
  const [row] = await tx.query<Lead>(`select ${COLUMNS} from leads where id = $1${lock ? ' for update' : ''}`, [id]);
  if (!row) throw notFound('Lead', id);
  return row;
}

/** Computes the lead's features, caches them, stores the score and returns the explanation. */
export async function scoreLead(tx: Tx, id: number): Promise<ScoredLead> {
  const lead = await requireLead(tx, id, true);
  const features = await leadFeatures(tx, lead.contact_email, lead.message);
  const result = scoreFeatures(features);
  const modelId = await leadModelId(tx);
  await tx.query(
    `insert into ml_features_cache (entity_type, entity_id, feature_json, model_id) values ('lead', $1, $2::jsonb, $3)
     on conflict (entity_type, entity_id) do update set feature_json = excluded.feature_json, model_id = excluded.model_id, computed_at = now()`,
    [id, JSON.stringify(features), modelId],
  );
  await tx.query('update leads set score = $2 where id = $1', [id, result.score]);
  return { ...lead, score: result.score, reasons: result.reasons, model: 'lead-score-logistic v1' };
}

export async function createLead(
  tx: Tx,
  input: { customer_name: string; contact_email?: string; message: string },
): Promise<ScoredLead> {
  const [row] = await tx.query<{ id: number }>(
    'insert into leads (customer_name, contact_email, message) values ($1, $2, $3) returning id',
    [input.customer_name, input.contact_email ?? null, input.message],
  );
  return scoreLead(tx, row!.id);
}

const TERMINAL: LeadStatus[] = ['won', 'lost'];

export async function updateLeadStatus(tx: Tx, id: number, status: LeadStatus): Promise<Lead> {
  const lead = await requireLead(tx, id, true);
  if (TERMINAL.includes(lead.status))
    throw conflict(`Lead ${id} is ${lead.status}; a closed lead cannot change status`);
  if (status === 'won') throw conflict(`Use convert_lead to win lead ${id}: it also creates the customer`);
  await tx.query('update leads set status = $2 where id = $1', [id, status]);
  return { ...lead, status };
}

export async function convertLead(tx: Tx, id: number): Promise<Lead> {
  const lead = await requireLead(tx, id, true);
  if (TERMINAL.includes(lead.status))
    throw conflict(`Lead ${id} is already ${lead.status}${lead.customer_id ? ` (customer ${lead.customer_id})` : ''}`);
  const customer = await createCustomer(tx, { name: lead.customer_name, email: lead.contact_email });
  await tx.query("update leads set status = 'won', customer_id = $2 where id = $1", [id, customer.id]);
  return { ...lead, status: 'won', customer_id: customer.id };
}

export interface ListLeadsInput {
  status?: LeadStatus;
  min_score?: number;
  limit: number;
  cursor?: string;
}

/** Best score first (unscored last), then newest. */
export async function listLeads(tx: Tx, input: ListLeadsInput): Promise<Page<Lead>> {
  const after = decodeCursor(input.cursor, ['number', 'number']);
  const rows = await tx.query<Lead & { sort_score: number }>(
    `select ${COLUMNS}, coalesce(score, -1)::float8 as sort_score from leads
     where ($1::text is null or status = $1) and ($2::numeric is null or score >= $2)
       and ($3::float8 is null or (coalesce(score, -1)::float8, id) < ($3, $4::int))
     order by coalesce(score, -1) desc, id desc limit $5`,
    [input.status ?? null, input.min_score ?? null, after?.[0] ?? null, after?.[1] ?? null, input.limit + 1],
  );
  return toPage(
    rows,
    input.limit,
    (r) => [r.sort_score, r.id],
    ({ sort_score: _, ...lead }) => lead,
  );
}
