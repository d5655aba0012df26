// Approvals for risky actions: the exact call is stored with its hash, and runs once when a
// different user whose role may approve that module says yes. Pending requests expire after a week.
import { createHash } from 'node:crypto';
import type { Tx } from '../../db/types.js';
import { canonicalJson } from './audit.js';
import { conflict, DomainError, notFound } from '../shared/errors.js';
import { decodeCursor, toPage, type Page } from '../shared/pagination.js';
import type { Role, User } from './users.js';

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'executed', 'failed', 'expired'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];
export const APPROVAL_TTL_DAYS = 7;

/** Who may approve what: admin always; finance for finance; inventory for stock. */
export const APPROVER_ROLES: Record<string, readonly Role[]> = {
  finance: ['admin', 'finance'],
  inventory: ['admin', 'inventory'],
};

export interface ApprovalPayload { tool: string; input: unknown }

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

const COLUMNS = 'id, module, action, payload_json, payload_hash, status, requested_by, decided_by, reason, result_json, created_at, decided_at';

export const payloadHash = (payload: ApprovalPayload) => createHash('sha256').update(canonicalJson(payload)).digest('hex');

export async function requestApproval(tx: Tx, input: { module: string; payload: ApprovalPayload; reason: string; requested_by: number }): Promise<Approval> {
  const [row] = await tx.query<Approval>(
    `insert into approvals (module, action, payload_json, payload_hash, requested_by, reason)
     values ($1, $2, $3::jsonb, $4, $5, $6) returning ${COLUMNS}`,
    [input.module, input.payload.tool, JSON.stringify(input.payload), payloadHash(input.payload), input.requested_by, input.reason]);
  return row!;
}

export async function getApproval(tx: Tx, id: number, lock = false): Promise<Approval> {
  const [row] = await tx.query<Approval>(`select ${COLUMNS} from approvals where id = $1${lock ? ' for update' : ''}`, [id]);
  if (!row) throw notFound('Approval', id);
  return row;
}

/** Locks a pending approval the user may decide; expires it when it is too old. */
export async function lockForDecision(tx: Tx, id: number, approver: User): Promise<Approval> {
  const approval = await getApproval(tx, id, true);
  if (approval.status !== 'pending') throw conflict(`Approval ${id} is already ${approval.status}; it can be decided only once`);
  if (approval.requested_by === approver.id) throw new DomainError('FORBIDDEN', `Approval ${id} was requested by you; another user must decide it`);
  const roles = APPROVER_ROLES[approval.module] ?? ['admin'];
  if (!roles.includes(approver.role)) throw new DomainError('FORBIDDEN', `Role ${approver.role} may not approve ${approval.module} actions; ${roles.join(' or ')} may`);
  return approval;
}

export async function isExpired(tx: Tx, approval: Approval): Promise<boolean> {
  const [row] = await tx.query<{ expired: boolean }>(`select $1::timestamptz < now() - interval '${APPROVAL_TTL_DAYS} days' as expired`, [approval.created_at]);
  return row!.expired;
}

export async function closeApproval(tx: Tx, id: number, status: Exclude<ApprovalStatus, 'pending'>, decidedBy: number, reason: string | null, result: unknown): Promise<Approval> {
  const [row] = await tx.query<Approval>(
    `update approvals set status = $2, decided_by = $3, reason = coalesce($4, reason), result_json = $5::jsonb, decided_at = now()
     where id = $1 returning ${COLUMNS}`,
    [id, status, decidedBy, reason, JSON.stringify(result ?? null)]);
  return row!;
}

export async function listApprovals(tx: Tx, input: { status?: ApprovalStatus; limit: number; cursor?: string }): Promise<Page<Approval>> {
  const before = decodeCursor(input.cursor, ['number']);
  const rows = await tx.query<Approval>(
    `select ${COLUMNS} from approvals where ($1::text is null or status = $1) and ($2::int is null or id < $2) order by id desc limit $3`,
    [input.status ?? null, before?.[0] ?? null, input.limit + 1]);
  return toPage(rows, input.limit, (r) => [r.id], (r) => r);
}

/** Approval thresholds (TOOLS.md defaults), overridable in settings as approval_threshold.<name>. */
export const DEFAULT_THRESHOLDS = { journal_entry: '10000.00', write_off: '1000.00' } as const;

export async function approvalThreshold(tx: Tx, name: keyof typeof DEFAULT_THRESHOLDS): Promise<string> {
  const [row] = await tx.query<{ value: string }>('select value from settings where key = $1', [`approval_threshold.${name}`]);
  return row?.value ?? DEFAULT_THRESHOLDS[name];
}
