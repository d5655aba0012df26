// Display formatting. Money arrives as decimal strings ("1234.50") and stays a string: digits are
// grouped, never turned into a float.
export function money(value: string | null | undefined, currency = ''): string {
  if (value === null || value === undefined || value === '') return '—';
  const negative = value.startsWith('-');
  const [whole = '0', cents = '00'] = (negative ? value.slice(1) : value).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '−' : ''}${currency ? `${currency} ` : ''}${grouped}.${cents.padEnd(2, '0').slice(0, 2)}`;
}

/** A money string as a number, for chart geometry only (never for sums shown as money). */
export const amount = (value: string | null | undefined): number => (value ? Number(value) : 0);

export function date(value: string | null | undefined): string {
  if (!value) return '—';
  return value.slice(0, 10);
}

export function dateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}

export const label = (key: string): string => key.replaceAll('_', ' ');
