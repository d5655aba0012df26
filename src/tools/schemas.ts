// Shared zod pieces for tool inputs and outputs, so every tool speaks the same dialect:
// integer ids, ISO dates, money as decimal strings, bounded text, cursor pagination.
import { z } from 'zod';
import { formatMoney, readMoney } from '../domain/shared/money.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../domain/shared/pagination.js';

/** An integer id; name what it points at only where the argument's name does not say it already. */
export const id = (what?: string) => {
  const schema = z.number().int().positive().max(2_147_483_647);
  return what ? schema.describe(`${what} id`) : schema;
};

/** Required text: trimmed, not empty, bounded. */
export const text = (max: number, what: string) =>
  z.string().trim().min(1, `${what} must not be empty`).max(max, `${what} must be at most ${max} characters`);

/** Optional text that may be cleared with null. */
export const nullableText = (max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, `${what} must be at most ${max} characters`)
    .nullable()
    .transform((v) => (v === '' ? null : v));

export const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .email('email must be an e-mail address like name@example.com');

/**
 * Every money argument: a decimal string ("12.50", "12.5", "-3") or a JSON number (12.5) with at
 * most 2 decimals, read by money.ts's one rule and handed to the domain as "12.50". A refusal
 * names the argument by its path: `lines.0.unit_price: must be an amount with at most 2 decimals…`.
 */
export const moneyInput = (what: string) =>
  z
    .union([z.string().max(32), z.number()])
    .transform((value, ctx) => {
      const read = readMoney(value);
      if (typeof read === 'bigint') return formatMoney(read);
      ctx.issues.push({ code: 'custom', message: read, input: value });
      return z.NEVER;
    })
    .describe(`${what}, a decimal such as "12.50"`);

// Outputs repeat these shapes hundreds of times in tools/list: the pattern says "money" and a
// name ending in _at says "timestamp" without a description on each (the server's instructions
// spell out both once).
export const moneyOutput = z.string().regex(/^-?\d+\.\d{2}$/);

export const timestamp = z.string();
// Years 1–9999: PostgreSQL has no year 0, and JavaScript dates beyond 9999 do not round-trip.
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD')
  .refine(
    (v) =>
      v >= '0001-01-01' &&
      !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) &&
      new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    'date must be a real calendar date between 0001-01-01 and 9999-12-31 (YYYY-MM-DD)',
  );
export const isoTimestamp = z
  .string()
  .max(64)
  .refine((v) => {
    const year = new Date(Date.parse(v)).getUTCFullYear(); // NaN for an unparsable text
    return year >= 1 && year <= 9999;
  }, 'must be an ISO 8601 date or timestamp between years 1 and 9999')
  .describe('ISO 8601 date or timestamp');

export const pageInput = {
  limit: z.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
  cursor: z.string().max(1000).optional().describe('next_cursor from the previous page'),
};

export const pageOutput = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), next_cursor: z.string().nullable() });
