// Lead scoring model "lead-score-logistic" v1: a logistic regression over five explainable
// features, with weights set by hand from sales experience (documented below, stored in
// model_registry.metadata). score = σ(bias + Σ weight·feature), in [0, 1]; the explanation is
// each feature's contribution weight·feature, largest magnitude first.
//
// Features (each in [0, 1]):
//   company_domain    1 when the contact e-mail is not a free-mail domain (gmail.com, …)
//   buying_intent     share of buying phrases found (quote, price, order, bulk, …), capped at 3 hits
//   negative_intent   share of non-buying phrases found (job, unsubscribe, student, …), capped at 2
//   product_mentions  catalogue products named by SKU or name, capped at 3
//   detail            message length / 400 characters, capped at 1
//   quantity          1 when the message names a quantity ("50 units", "x20", "200 pcs")
import type { Tx } from '../../db/types.js';

export const LEAD_MODEL = {
  name: 'lead-score-logistic',
  version: '1',
  bias: -1.6,
  weights: {
    company_domain: 1.1,
    buying_intent: 2.2,
    negative_intent: -2.5,
    product_mentions: 1.4,
    detail: 0.6,
    quantity: 0.9,
  },
} as const;

export type LeadFeatures = Record<keyof typeof LEAD_MODEL.weights, number>;

const FREE_MAIL = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'hotmail.com',
  'outlook.com',
  'live.com',
  'icloud.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'gmx.de',
  'web.de',
  'mail.com',
  'yandex.ru',
  'mail.ru',
  'msn.com',
]);
const BUYING = [
  'quote',
  'quotation',
  'price',
  'pricing',
  'order',
  'purchase',
  'buy',
  'bulk',
  'wholesale',
  'invoice',
  'delivery',
  'lead time',
  'in stock',
  'availability',
  'discount',
  'urgent',
  'asap',
  'contract',
  'supply',
  'account',
];
const NEGATIVE = [
  'job',
  'career',
  'internship',
  'student',
  'unsubscribe',
  'newsletter',
  'seo',
  'backlink',
  'free sample',
  'donation',
];
const QUANTITY = /\b\d+\s*(?:x\b|units?\b|pcs\b|pieces\b|boxes\b|cases\b|pallets?\b|sets?\b)|\bx\s*\d+\b/i;

function phraseShare(text: string, phrases: readonly string[], cap: number): number {
  const hits = phrases.filter((p) => new RegExp(`\\b${p}`, 'i').test(text)).length;
  return Math.min(hits, cap) / cap;
}

export async function leadFeatures(tx: Tx, email: string | null, message: string): Promise<LeadFeatures> {
  const domain = email?.split('@')[1]?.toLowerCase() ?? '';
  const [mentions] = await tx.query<{ n: number }>(
    `select count(*)::int as n from products
     where active and (strpos(erp_fold($1), erp_fold(sku)) > 0 or strpos(erp_fold($1), erp_fold(name)) > 0)`,
    [message],
  );
  return {
    company_domain: domain !== '' && !FREE_MAIL.has(domain) ? 1 : 0,
    buying_intent: phraseShare(message, BUYING, 3),
    negative_intent: phraseShare(message, NEGATIVE, 2),
    product_mentions: Math.min(mentions?.n ?? 0, 3) / 3,
    detail: Math.min(message.length / 400, 1),
    quantity: QUANTITY.test(message) ? 1 : 0,
  };
}

export interface LeadScore {
  score: number;
  reasons: { feature: string; value: number; contribution: number }[];
}

export function scoreFeatures(features: LeadFeatures): LeadScore {
  const reasons = (Object.keys(LEAD_MODEL.weights) as (keyof LeadFeatures)[]).map((feature) => ({
    feature,
    value: round(features[feature]),
    contribution: round(LEAD_MODEL.weights[feature] * features[feature]),
  }));
  const z = LEAD_MODEL.bias + reasons.reduce((sum, r) => sum + r.contribution, 0);
  reasons.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  return { score: round(1 / (1 + Math.exp(-z))), reasons: reasons.filter((r) => r.contribution !== 0).slice(0, 3) };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/** The registered model row, created on first use without locking it on every call. */
export async function leadModelId(tx: Tx): Promise<number> {
  const find = () =>
    tx.query<{ id: number }>('select id from model_registry where name = $1 and version = $2', [
      LEAD_MODEL.name,
      LEAD_MODEL.version,
    ]);
  const [found] = await find();
  if (found) return found.id;
  const [created] = await tx.query<{ id: number }>(
    `insert into model_registry (name, version, kind, metadata) values ($1, $2, 'lead_scoring', $3::jsonb)
     on conflict (name, version) do nothing returning id`,
    [LEAD_MODEL.name, LEAD_MODEL.version, JSON.stringify({ bias: LEAD_MODEL.bias, weights: LEAD_MODEL.weights })],
  );
  return created?.id ?? (await find())[0]!.id;
}
