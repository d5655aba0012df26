// money.ts and the pricing rules built on it, without a database: exact cents, half-up rounding.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseQuantity, priceLine } from '../../src/domain/finance/invoices.js';
import { lineTotal } from '../../src/domain/sales/orders.js';
import {
  divRoundHalfUp,
  formatFraction,
  formatMoney,
  MAX_CENTS,
  money,
  parseFraction,
  parseMoney,
  readMoney,
  withinBooks,
} from '../../src/domain/shared/money.js';

describe('money', () => {
  it('parseMoney reads decimal strings and numbers with up to 2 decimals into cents', () => {
    expect(['12', '12.5', '12.50', ' 12.50 ', 12.5, 12, '-3.07', 0].map((v) => parseMoney(v))).toEqual([
      1200n,
      1250n,
      1250n,
      1250n,
      1250n,
      1200n,
      -307n,
      0n,
    ]);
  });

  it('parseMoney refuses fractions of a cent, separators, exponents and binary leftovers, naming the field', () => {
    for (const bad of ['12.345', '1,50', '1e3', '12.', '.5', '', 'NaN', 0.1 + 0.2, 1e-7, Number.POSITIVE_INFINITY]) {
      expect(() => parseMoney(bad, 'unit_price'), JSON.stringify(bad)).toThrow(/^unit_price must be/);
    }
  });

  it('an amount beyond numeric(14,2) is refused as too large, not as malformed', () => {
    expect(parseMoney('999999999999.99')).toBe(MAX_CENTS);
    expect(readMoney('1000000000000.00')).toBe('is more than the largest amount the books hold (999999999999.99)');
    expect(() => withinBooks(MAX_CENTS + 1n, 'the order total')).toThrow(
      /^the order total would be 1000000000000\.00, more than/,
    );
  });

  it('formatMoney writes two decimals and the sign; money() normalises database text', () => {
    expect([formatMoney(0n), formatMoney(5n), formatMoney(-5n), formatMoney(123456n)]).toEqual([
      '0.00',
      '0.05',
      '-0.05',
      '1234.56',
    ]);
    expect([money('12.5'), money(null), money('-0.1')]).toEqual(['12.50', '0.00', '-0.10']);
  });

  it('formatMoney and parseMoney round-trip every amount the books hold', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -MAX_CENTS, max: MAX_CENTS }), (cents) => parseMoney(formatMoney(cents)) === cents),
    );
  });

  it('divRoundHalfUp rounds halves away from zero and everything else to the nearest', () => {
    expect([25n, 24n, 26n, -25n, -24n, 15n].map((n) => divRoundHalfUp(n, 10n))).toEqual([3n, 2n, 3n, -3n, -2n, 2n]);
    expect(divRoundHalfUp(-25n, -10n)).toBe(3n);
    expect(() => divRoundHalfUp(1n, 0n)).toThrow(RangeError);
  });

  it('divRoundHalfUp is within half a unit of the exact quotient', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        (num, den) => {
          const q = divRoundHalfUp(num, den);
          const twiceError = 2n * (q * den - num);
          return (
            twiceError <= den &&
            twiceError >= -den &&
            (twiceError !== -den || num < 0n) &&
            (twiceError !== den || num > 0n)
          );
        },
      ),
    );
  });

  it('parseFraction reads rates and discounts in ten-thousandths, below 1', () => {
    expect([
      parseFraction('0.15', 'd'),
      parseFraction(0.0825, 'd'),
      parseFraction('0', 'd'),
      parseFraction(undefined, 'd'),
    ]).toEqual([1500n, 825n, 0n, 0n]);
    expect(formatFraction(825n)).toBe('0.0825');
    for (const bad of ['1', '0.12345', '-0.1', 'ten'])
      expect(() => parseFraction(bad, 'discount'), bad).toThrow(/^discount must be a fraction/);
  });
});

describe('line pricing', () => {
  it('an order line is quantity × price × (1 − discount), rounded half-up to the cent', () => {
    expect(lineTotal(3, 3333n, 1000n)).toBe(8999n); // 89.991
    expect(lineTotal(1, 5n, 5000n)).toBe(3n); // 0.025 → 0.03
    expect(lineTotal(2, 1999n, 0n)).toBe(3998n);
  });

  it('an invoice line rounds its total, then its tax, each half-up (tax per line, not per invoice)', () => {
    expect(priceLine(parseQuantity(3), 1999n, 0n, 825n)).toEqual({ total: 5997n, tax: 495n }); // tax 4.947525
    expect(priceLine(parseQuantity('2.5'), 333n, 0n, 825n)).toEqual({ total: 833n, tax: 69n }); // 8.325 → 8.33, tax 0.687225
  });

  it('quantities have at most 3 decimals and must be positive', () => {
    expect([parseQuantity('2.5'), parseQuantity(1), parseQuantity('0.001')]).toEqual([2500n, 1000n, 1n]);
    for (const bad of ['0', '-1', '1.2345', 'x'])
      expect(() => parseQuantity(bad), bad).toThrow(/^quantity must be a positive number/);
  });
});
