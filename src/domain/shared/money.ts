// Money is exact: integer cents (bigint) in TypeScript, numeric(14,2) in SQL, decimal strings
// at the edges. Rounding is half-up (away from zero on .5) per line, as DESIGN.md fixes.
import { invalid } from './errors.js';

export type Cents = bigint;

const MONEY_RE = /^(-)?(\d+)(?:\.(\d{1,2}))?$/;
/** The largest amount numeric(14,2) holds. */
export const MAX_CENTS = 999_999_999_999_99n;

/**
 * Parses "12.5", "12.50", 12.5 or 12 into cents; refuses fractions of a cent and non-numbers.
 * Every amount a client sends is read by this one rule (tools/schemas.ts moneyInput calls
 * readMoney), so all money arguments accept the same forms.
 */
export function parseMoney(value: string | number, field = 'amount'): Cents {
  const read = readMoney(value);
  if (typeof read === 'string') throw invalid(`${field} ${read}`);
  return read;
}

/** The amount in cents, or why it is not one ("must be …", without the argument's name). */
export function readMoney(value: string | number): Cents | string {
  if (typeof value === 'number' && !Number.isFinite(value)) return 'must be a finite number';
  // String(0.1) is "0.1"; exponent forms only appear for tiny/huge values, which are refused.
  const text = typeof value === 'number' ? String(value) : value.trim();
  const m = MONEY_RE.exec(text);
  if (!m)
    return `must be an amount with at most 2 decimals, like "12.50" or 12.5 (got ${JSON.stringify(String(value).slice(0, 40))})`;
  const cents = BigInt(m[2]!) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  if (cents > MAX_CENTS) return `is more than the largest amount the books hold (${formatMoney(MAX_CENTS)})`;
  return m[1] ? -cents : cents;
}

/** Refuses an amount numeric(14,2) cannot hold, naming what it is (a line total, an order total). */
export function withinBooks(cents: Cents, what: string): Cents {
  if (cents > MAX_CENTS || cents < -MAX_CENTS) {
    throw invalid(
      `${what} would be ${formatMoney(cents)}, more than the largest amount the books hold (${formatMoney(MAX_CENTS)})`,
    );
  }
  return cents;
}

export function formatMoney(cents: Cents): string {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** Normalises a decimal string from the database ("12.5" or "12.50") to two decimals. */
export function money(dbValue: string | number | null | undefined): string {
  return formatMoney(parseMoney(dbValue ?? '0'));
}

/** Divides num by den rounding half away from zero: the one rounding rule of the books. */
export function divRoundHalfUp(num: bigint, den: bigint): bigint {
  if (den === 0n) throw new RangeError('division by zero');
  const neg = num < 0n !== den < 0n;
  const a = num < 0n ? -num : num;
  const b = den < 0n ? -den : den;
  const q = (a * 2n + b) / (b * 2n);
  return neg ? -q : q;
}

const FRACTION_RE = /^(?:0|0?\.(\d{1,4})|0\.)$/;

/** A rate or discount: a fraction below 1 with at most 4 decimals (0.15 = 15 %), in ten-thousandths. */
export function parseFraction(value: string | number | undefined, field: string): bigint {
  if (value === undefined) return 0n;
  const text = typeof value === 'number' ? String(value) : value.trim();
  const m = FRACTION_RE.exec(text);
  if (!m)
    throw invalid(
      `${field} must be a fraction from 0 to 0.9999 (0.15 = 15 %), got ${JSON.stringify(String(value).slice(0, 20))}`,
    );
  return BigInt((m[1] ?? '').padEnd(4, '0'));
}

export const formatFraction = (tenThousandths: bigint) => `0.${tenThousandths.toString().padStart(4, '0')}`;
