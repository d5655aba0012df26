// The approvals policy, in one place (TOOLS.md "Actions that need approval"): which actions wait
// for a second person, above what value, and who may approve them. Tools ask approvalNeed with
// the value of their effect; list_approval_policies and erp://schema show the same data.
import type { Tx } from '../../db/types.js';
import { decodeCursor, toPage, type Page } from '../shared/pagination.js';
import { formatMoney, parseMoney, type Cents } from '../shared/money.js';
import type { Role } from './users.js';

export type ApprovalModule = 'finance' | 'inventory' | 'users';

/** A request nobody decided within this many days expires instead of running. */
export const APPROVAL_TTL_DAYS = 7;

/** Who may approve each module's actions: admin always; finance for finance; inventory for stock; only admins make admins. */
export const APPROVER_ROLES: Readonly<Record<string, readonly Role[]>> = {
  finance: ['admin', 'finance'],
  inventory: ['admin', 'inventory'],
  users: ['admin'],
};

/** Modules not in APPROVER_ROLES are decided by admins only. */
export const approverRoles = (module: string): readonly Role[] => APPROVER_ROLES[module] ?? ['admin'];

/** Every role that may approve something: who may call decide_approval at all. */
export const APPROVERS: readonly Role[] = [...new Set(Object.values(APPROVER_ROLES).flat())];

interface Threshold {
  /** settings key that overrides the default, e.g. approval_threshold.journal_entry. */
  setting: string;
  default: string;
  /** What is compared with it, in words: the value of the call's effect. */
  measure: string;
}

export interface ApprovalRule {
  /** The tool that waits. */
  action: string;
  module: ApprovalModule;
  /** The plural noun the refusal starts with, e.g. "Credit notes". */
  subject: string;
  /** Null: every call waits. Otherwise a call waits when the value of its effect is above it. */
  threshold: Threshold | null;
  /** Only calls that do this wait, in words; the tool asks approvalNeed only for them. */
  condition?: string;
}

export const APPROVAL_POLICY: readonly ApprovalRule[] = [
  { action: 'issue_credit_note', module: 'finance', subject: 'Credit notes', threshold: null },
  { action: 'reverse_journal_entry', module: 'finance', subject: 'Reversals of journal entries', threshold: null },
  {
    action: 'post_journal_entry',
    module: 'finance',
    subject: 'Journal entries',
    threshold: {
      setting: 'approval_threshold.journal_entry',
      default: '10000.00',
      measure: 'the entry total (the sum of its debits)',
    },
  },
  {
    // The value at risk, whatever the caller calls it (count, write-off, damage) and whichever the
    // sign: a count gain books other income just as a loss books an expense. A product carried at
    // zero cost books nothing, but its units are not worthless: its price values them instead.
    action: 'adjust_stock',
    module: 'inventory',
    subject: 'Stock adjustments',
    threshold: {
      setting: 'approval_threshold.stock_adjustment',
      default: '1000.00',
      measure:
        "the units added or removed × the product's unit cost (its price when the cost is 0), for every kind, gains and losses alike",
    },
  },
  { action: 'set_lock_date', module: 'finance', subject: 'Changes to the lock date', threshold: null },
  // Admin powers take two admins: otherwise one admin could make a second admin account and
  // approve their own requests above with it.
  {
    action: 'create_user',
    module: 'users',
    subject: 'New admin accounts',
    threshold: null,
    condition: "the new user's role is admin",
  },
  {
    action: 'set_user_role',
    module: 'users',
    subject: 'Promotions to admin',
    threshold: null,
    condition: 'the new role is admin and the user is not an admin yet',
  },
  {
    action: 'enable_user',
    module: 'users',
    subject: 'Re-enabled admin accounts',
    threshold: null,
    condition: "the disabled user's role is admin",
  },
];

/** Why no deletion is in the list: TOOLS.md puts "deleting any business record" under approval. */
export const DELETION_NOTE =
  'Deleting a business record (customer, product, order, invoice, payment, stock movement, journal entry) ' +
  'would need approval too, but no tool deletes one: they are corrected by cancelling, voiding drafts, credit notes, ' +
  'reversals and stock adjustments. Customer memory facts and documents are not business records.';

export interface ApprovalNeed {
  module: ApprovalModule;
  reason: string;
}

function ruleFor(action: string): ApprovalRule {
  const rule = APPROVAL_POLICY.find((r) => r.action === action);
  if (!rule) throw new Error(`${action} is not in the approvals policy`);
  return rule;
}

async function thresholdOf(tx: Tx, threshold: Threshold): Promise<Cents> {
  const [row] = await tx.query<{ value: string }>('select value from settings where key = $1', [threshold.setting]);
  return parseMoney(row?.value ?? threshold.default, threshold.setting);
}

/**
 * Whether this call of action must wait for a second person, given the value of its effect (in
 * cents; required for actions with a threshold): the need to store with the request, or null.
 */
export async function approvalNeed(tx: Tx, action: string, value?: Cents): Promise<ApprovalNeed | null> {
  const rule = ruleFor(action);
  if (!rule.threshold) return { module: rule.module, reason: `${rule.subject} need approval` };
  if (value === undefined) throw new Error(`${action}: the approvals policy needs the value of its effect`);
  const limit = await thresholdOf(tx, rule.threshold);
  if (value <= limit) return null;
  return {
    module: rule.module,
    reason: `${rule.subject} above ${formatMoney(limit)} need approval (this one is ${formatMoney(value)})`,
  };
}

export interface PolicyEntry {
  action: string;
  module: ApprovalModule;
  /** The threshold in force (settings, else the default); null when every call waits. */
  threshold: string | null;
  applies_when: string;
  approver_roles: Role[];
}

/** The policy with the thresholds in force, in policy order. */
export async function policyInForce(tx: Tx): Promise<PolicyEntry[]> {
  const entries: PolicyEntry[] = [];
  for (const rule of APPROVAL_POLICY) {
    const limit = rule.threshold && formatMoney(await thresholdOf(tx, rule.threshold));
    entries.push({
      action: rule.action,
      module: rule.module,
      threshold: limit,
      applies_when: rule.threshold
        ? `${rule.threshold.measure} is above ${limit} (setting ${rule.threshold.setting})`
        : (rule.condition ?? 'always'),
      approver_roles: [...approverRoles(rule.module)],
    });
  }
  return entries;
}

/** list_approval_policies: the policy in force, paginated like every list (the cursor is a position). */
export async function listApprovalPolicies(
  tx: Tx,
  page: { limit: number; cursor?: string },
): Promise<Page<PolicyEntry>> {
  const after = Number(decodeCursor(page.cursor, ['number'])?.[0] ?? 0);
  const rows = (await policyInForce(tx))
    .map((entry, i) => ({ entry, position: i + 1 }))
    .slice(after, after + page.limit + 1);
  return toPage(
    rows,
    page.limit,
    (r) => [r.position],
    (r) => r.entry,
  );
}

/** The "# Approval policy" section of erp://schema. */
export async function describeApprovalPolicy(tx: Tx): Promise<string[]> {
  const rows = (await policyInForce(tx)).map(
    (e) => `| \`${e.action}\` | ${e.module} | ${e.applies_when} | ${e.approver_roles.join(', ')} |`,
  );
  return [
    '# Approval policy',
    '',
    'These calls do not run at once: they return APPROVAL_REQUIRED with an approval id, and run once, as the user who asked,',
    'when a different user whose role may approve that module approves them with decide_approval (pending requests expire after',
    `${APPROVAL_TTL_DAYS} days). Thresholds compare the value of the effect, whatever label the caller gives it; list_approval_policies returns the same.`,
    '',
    '| action | module | waits when | approved by |',
    '|---|---|---|---|',
    ...rows,
    '',
    DELETION_NOTE,
  ];
}
