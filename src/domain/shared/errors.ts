// The one error type business rules throw; the tool wrapper turns it into an isError result.
import { isConnectionLost } from '../../db/lost-connection.js';

export type ErrorCode =
  | 'NOT_FOUND'
  | 'INVALID_INPUT'
  | 'CONFLICT'
  | 'INSUFFICIENT_STOCK'
  | 'FORBIDDEN'
  | 'APPROVAL_REQUIRED'
  | 'UNAVAILABLE' // something the call needs is not set up here, e.g. the embedding model
  | 'INTERNAL';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, id: number | string) =>
  new DomainError('NOT_FOUND', `${what} ${id} does not exist`);
export const invalid = (message: string) => new DomainError('INVALID_INPUT', message);
export const conflict = (message: string) => new DomainError('CONFLICT', message);

/**
 * Rules PostgreSQL enforces (sql/008 at commit, sql/011, sql/018), by SQLSTATE. Their messages are ours, written to
 * be shown: one line naming the record and the amounts.
 */
const DATABASE_RULES: Record<string, (message: string, details?: Record<string, unknown>) => DomainError> = {
  EM001: conflict, // payment allocated beyond its amount
  EM002: conflict, // credit note applied beyond its amount
  EM003: conflict, // invoice applied beyond its total
  EM004: invalid, // journal entry does not balance
  EU001: conflict, // the last active admin would be demoted, disabled or deleted (sql/011)
  // not enough stock to reserve for an order (sql/018); the short products as JSON in DETAIL
  ES001: (message, details) => new DomainError('INSUFFICIENT_STOCK', message, details),
};

/**
 * 001's stock CHECKs. A negative on-hand also breaks reserved <= on-hand, and PostgreSQL names
 * only the first constraint it checks, so the rule is read from the failing row when it is shown:
 * (product_id, qty_on_hand, reserved_qty, …).
 */
function stockRule(name: string | undefined, detail: string | undefined): DomainError | undefined {
  if (name !== 'stock_qty_on_hand_check' && name !== 'stock_reserved_qty_check' && name !== 'stock_check')
    return undefined;
  const row = /^Failing row contains \((\d+), (-?\d+), (-?\d+),/.exec(detail ?? '');
  const of = row ? ` of product ${row[1]}` : '';
  const [onHand, reserved] = row ? [Number(row[2]), Number(row[3])] : [undefined, undefined];
  if (name === 'stock_qty_on_hand_check' || (onHand !== undefined && onHand < 0)) {
    return new DomainError(
      'INSUFFICIENT_STOCK',
      `Stock on hand${of} cannot go below zero${onHand !== undefined ? ` (it would be ${onHand})` : ''}`,
    );
  }
  if (name === 'stock_reserved_qty_check' || (reserved !== undefined && reserved < 0)) {
    return conflict(`Reserved stock${of} cannot go below zero: more was released than reserved`);
  }
  return new DomainError(
    'INSUFFICIENT_STOCK',
    `Reserved stock${of}${row ? ` (${reserved})` : ''} cannot exceed its stock on hand${row ? ` (${onHand})` : ''}`,
  );
}

/** The column a CHECK constraint named <table>_<column>_check guards, as PostgreSQL names them. */
function checkedColumn(error: unknown, name: string | undefined): string | undefined {
  const table =
    (error as { table?: string; table_name?: string }).table ?? (error as { table_name?: string }).table_name;
  if (!name || !table || !name.startsWith(`${table}_`) || !name.endsWith('_check')) return undefined;
  return name.slice(table.length + 1, -'_check'.length) || undefined;
}

const firstLine = (error: unknown) =>
  String((error as { message?: unknown }).message ?? '')
    .split('\n')[0]!
    .slice(0, 300);

/** A rule's details, sent by the database as a JSON object in DETAIL. */
function detailsOf(detail: string | undefined): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(detail ?? '');
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export { isConnectionLost };
export const CONNECTION_LOST = 'the database connection was lost; nothing was changed. Retry in a moment';

/** Maps a PostgreSQL error (either driver) to a DomainError a client can act on, or undefined. */
export function fromDatabaseError(error: unknown): DomainError | undefined {
  if (isConnectionLost(error)) return new DomainError('UNAVAILABLE', CONNECTION_LOST, undefined, error);
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  const detail = (error as { detail?: string }).detail;
  const constraint = error as { constraint?: string; constraint_name?: string };
  const name = constraint.constraint ?? constraint.constraint_name;
  const rule = DATABASE_RULES[code];
  if (rule) return rule(firstLine(error), detailsOf(detail));
  switch (code) {
    case '23505':
      return conflict(`Duplicate value${detail ? `: ${detail}` : name ? ` (${name})` : ''}`);
    case '23503':
      return conflict(`Referenced record is missing or still in use${name ? ` (${name})` : ''}`);
    case '23514':
      return (
        stockRule(name, detail) ??
        invalid(`${checkedColumn(error, name) ?? 'a value'}: breaks the rule ${name ?? 'of the data'}`)
      );
    case '23502': {
      const column =
        (error as { column?: string; column_name?: string }).column ?? (error as { column_name?: string }).column_name;
      return invalid(`${column ?? 'a required value'}: must not be empty${name ? ` (${name})` : ''}`);
    }
    case '40001':
    case '40P01':
      return conflict('Another change touched the same records at the same time; retry the call');
    case '57014':
      return conflict('The statement took too long and was cancelled');
  }
  // PostgreSQL's own words name the value or the type (`date/time field value out of range:
  // "0000-01-01"`, `value too long for type character varying(20)`); inputs are validated first,
  // so this is the last line of defence, never the usual answer.
  if (code.startsWith('22')) return invalid(`A value is malformed or out of range: ${firstLine(error)}`);
  return undefined;
}
