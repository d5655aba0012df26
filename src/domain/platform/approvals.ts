// Approvals for risky actions: the exact call is stored with its hash, and runs once when a
// different user whose role may approve that module says yes. Which actions, above what value and
// approved by whom is the policy (approval-policy.ts); this module keeps the requests.
import { createHash } from 'node:crypto';
import type { Tx } from '../../db/types.js';
import { canonicalJson } from './audit.js';
import { APPROVAL_TTL_DAYS, approverRoles } from './approval-policy.js';
import { conflict, DomainError, fromDatabaseError, notFound } from '../shared/errors.js';
import { decodeCursor, toPage, type Page } from '../shared/pagination.js';
import type { User } from './users.js';

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'executed', 'failed', 'expired'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export interface ApprovalPayload {
  tool: string;
  input: unknown;
}

export interface Approval {
  id: number;
  module: string;
  action: string;
  payload_json: ApprovalPayload;
  payload_hash: string;
  status: ApprovalStatus;
  requested_by: number;
  decided_by: number | null;
  reason: string | null;
  result_json: unknown;
  created_at: string;
  decided_at: string | null;
}

const COLUMNS =
  'id, module, action, payload_json, payload_hash, status, requested_by, decided_by, reason, result_json, created_at, decided_at';

export const payloadHash = (payload: ApprovalPayload) =>
  createHash('sha256').update(canonicalJson(payload)).digest('hex');

export async function requestApproval(
  tx: Tx,
  input: { module: string; payload: ApprovalPayload; reason: string; requested_by: number },
): Promise<Approval> {
  const [row] = await tx.query<Approval>(
    `insert into approvals (module, action, payload_json, payload_hash, requested_by, reason)
     values ($1, $2, $3::jsonb, $4, $5, $6) returning ${COLUMNS}`,
    [
      input.module,
      input.payload.tool,
      JSON.stringify(input.payload),
      payloadHash(input.payload),
      input.requested_by,
      input.reason,
    ],
  );
  return row!;
}

export async function getApproval(tx: Tx, id: number, lock = false): Promise<Approval> {
  const [row] = await tx.query<Approval>(`select ${COLUMNS} from approvals where id = $1${lock ? ' for update' : ''}`, [
    id,
  ]);
  if (!row) throw notFound('Approval', id);
  return row;
}

/** Why this user may not decide this approval now (four-eyes, the approver's role), or null. */
export function decisionRefusal(approval: Approval, approver: Pick<User, 'id' | 'role'>): DomainError | null {
  const id = approval.id;
  if (approval.status !== 'pending')
    return conflict(`Approval ${id} is already ${approval.status}; it can be decided only once`);
  if (approval.requested_by === approver.id)
    return new DomainError('FORBIDDEN', `Approval ${id} was requested by you; another user must decide it`);
  const roles = approverRoles(approval.module);
  if (!roles.includes(approver.role))
    return new DomainError(
      'FORBIDDEN',
      `Role ${approver.role} may not approve ${approval.module} actions; ${roles.join(' or ')} may`,
    );
  return null;
}

/** Locks a pending approval the user may decide; expires it when it is too old. */
export async function lockForDecision(tx: Tx, id: number, approver: User): Promise<Approval> {
  const approval = await getApproval(tx, id, true);
  const refusal = decisionRefusal(approval, approver);
  if (refusal) throw refusal;
  return approval;
}

export async function isExpired(tx: Tx, approval: Approval): Promise<boolean> {
  const [row] = await tx.query<{ expired: boolean }>(
    `select $1::timestamptz < now() - interval '${APPROVAL_TTL_DAYS} days' as expired`,
    [approval.created_at],
  );
  return row!.expired;
}

export async function closeApproval(
  tx: Tx,
  id: number,
  status: Exclude<ApprovalStatus, 'pending'>,
  decidedBy: number,
  reason: string | null,
  result: unknown,
): Promise<Approval> {
  const [row] = await tx.query<Approval>(
    `update approvals set status = $2, decided_by = $3, reason = coalesce($4, reason), result_json = $5::jsonb, decided_at = now()
     where id = $1 returning ${COLUMNS}`,
    [id, status, decidedBy, reason, JSON.stringify(result ?? null)],
  );
  return row!;
}

export async function listApprovals(
  tx: Tx,
  input: { status?: ApprovalStatus; limit: number; cursor?: string },
): Promise<Page<Approval>> {
  const before = decodeCursor(input.cursor, ['number']);
  const rows = await tx.query<Approval>(
    `select ${COLUMNS} from approvals where ($1::text is null or status = $1) and ($2::int is null or id < $2) order by id desc limit $3`,
    [input.status ?? null, before?.[0] ?? null, input.limit + 1],
  );
  return toPage(
    rows,
    input.limit,
    (r) => [r.id],
    (r) => r,
  );
}

/**
 * The stored call, checked before it runs: its payload must still match the hash taken when it
 * was requested, and it runs as the user who asked, as they are now (their role may have changed,
 * and a disabled user's requests no longer run).
 */
export async function frozenCall(tx: Tx, approval: Approval): Promise<{ requester: User } | { problem: string }> {
  if (payloadHash(approval.payload_json) !== approval.payload_hash)
    return { problem: 'The stored payload no longer matches its hash; it was changed after the request' };
  const [row] = await tx.query<User & { disabled_at: string | null }>(
    'select id, name, email, role, disabled_at from users where id = $1',
    [approval.requested_by],
  );
  if (!row) return { problem: `User ${approval.requested_by}, who asked for it, no longer exists` };
  if (row.disabled_at !== null) return { problem: `User ${row.email}, who asked for it, is disabled` };
  return { requester: { id: row.id, name: row.name, email: row.email, role: row.role } };
}

/** Closes an approval whose call cannot run, without running anything. */
export const failApproval = (tx: Tx, approval: Approval, decidedBy: number, reason: string | null, message: string) =>
  closeApproval(tx, approval.id, 'failed', decidedBy, reason, { error: { code: 'CONFLICT', message } });

/**
 * Runs an approved call once and records how it went: executed with its output, or failed with
 * its error. The call runs in a savepoint so that its failure, even a statement PostgreSQL refused
 * (which otherwise dooms the whole transaction), undoes only the call and the decision is kept.
 * Anything but a domain or database error is a bug: it propagates and undoes the decision too.
 */
export async function runApproved(
  tx: Tx,
  approval: Approval,
  decidedBy: number,
  reason: string | null,
  call: (tx: Tx) => Promise<unknown>,
): Promise<Approval> {
  let output: unknown;
  try {
    output = await tx.savepoint(call);
  } catch (error) {
    const domain = error instanceof DomainError ? error : fromDatabaseError(error);
    if (!domain) throw error;
    return closeApproval(tx, approval.id, 'failed', decidedBy, reason, {
      error: { code: domain.code, message: domain.message },
    });
  }
  return closeApproval(tx, approval.id, 'executed', decidedBy, reason, output);
}
