// Shared zod pieces for tool inputs and outputs, so every tool speaks the same dialect:
// integer ids, ISO dates, money as decimal strings, bounded text, cursor pagination.
import { z } from 'zod';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../domain/shared/pagination.js';

export const id = (what: string) => z.number().int().positive().max(2_147_483_647).describe(`${what} id`);

/** Required text: trimmed, not empty, bounded. */
export const text = (max: number, what: string) =>
  z.string().trim().min(1, `${what} must not be empty`).max(max, `${what} must be at most ${max} characters`);

/** Optional text that may be cleared with null. */
export const nullableText = (max: number, what: string) =>
  z.string().trim().max(max, `${what} must be at most ${max} characters`).nullable()
    .transform((v) => (v === '' ? null : v));

export const email = z.string().trim().toLowerCase().max(254).email('email must be an e-mail address like name@example.com');

export const moneyInput = (what: string) =>
  z.union([z.string().max(32), z.number()]).describe(`${what}: a decimal amount such as "12.50" (numbers accepted)`);

export const moneyOutput = z.string().regex(/^-?\d+\.\d{2}$/).describe('decimal amount, two places');

export const timestamp = z.string().describe('ISO 8601 timestamp');
// Years 1–9999: PostgreSQL has no year 0, and JavaScript dates beyond 9999 do not round-trip.
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD').refine(
  (v) => v >= '0001-01-01' && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
  'date must be a real calendar date between 0001-01-01 and 9999-12-31 (YYYY-MM-DD)',
);
export const isoTimestamp = z.string().max(64).refine((v) => {
  const year = new Date(Date.parse(v)).getUTCFullYear(); // NaN for an unparsable text
  return year >= 1 && year <= 9999;
}, 'must be an ISO 8601 date or timestamp between years 1 and 9999');

export const pageInput = {
  limit: z.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT).describe(`page size, 1–${MAX_LIMIT} (default ${DEFAULT_LIMIT})`),
  cursor: z.string().max(1000).optional().describe('next_cursor from the previous page'),
};

export const pageOutput = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), next_cursor: z.string().nullable().describe('pass as cursor for the next page; null at the end') });
