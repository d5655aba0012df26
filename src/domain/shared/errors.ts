// The one error type business rules throw; the tool wrapper turns it into an isError result.

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
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, id: number | string) => new DomainError('NOT_FOUND', `${what} ${id} does not exist`);
export const invalid = (message: string) => new DomainError('INVALID_INPUT', message);
export const conflict = (message: string) => new DomainError('CONFLICT', message);

/** Maps a PostgreSQL error (either driver) to a DomainError a client can act on, or undefined. */
export function fromDatabaseError(error: unknown): DomainError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  const detail = (error as { detail?: string }).detail;
  const constraint = (error as { constraint?: string; constraint_name?: string });
  const name = constraint.constraint ?? constraint.constraint_name;
  switch (code) {
    case '23505':
      return conflict(`Duplicate value${detail ? `: ${detail}` : name ? ` (${name})` : ''}`);
    case '23503':
      return conflict(`Referenced record is missing or still in use${name ? ` (${name})` : ''}`);
    case '23514':
    case '23502':
      return invalid(`Value breaks a rule of the data${name ? ` (${name})` : ''}`);
    case '40001':
    case '40P01':
      return conflict('Another change touched the same records at the same time; retry the call');
    case '57014':
      return conflict('The statement took too long and was cancelled');
  }
  if (code.startsWith('22')) return invalid('A value is malformed or out of range');
  return undefined;
}
