// What a person reviewing an approval needs besides the stored row: who asked (by name), what the
// frozen call would change (the current value beside the requested one, where the ERP can tell),
// and whether this reader may decide it — the same rule decide_approval enforces.
import type { Tx } from '../../db/types.js';
import { getInvoice } from '../finance/invoice-queries.js';
import { getLockDate } from '../finance/periods.js';
import { getStock } from '../inventory/stock-queries.js';
import { formatMoney, parseMoney } from '../shared/money.js';
import { decisionRefusal, type Approval } from './approvals.js';
import type { User } from './users.js';

/** One line of an approval's diff: a field's value now, and what it becomes once the call runs. */
export interface Change {
  field: string;
  before: string | null;
  after: string | null;
}

export interface Reviewed extends Approval {
  requested_by_name: string | null;
  changes: Change[];
  may_decide: boolean;
  why_not: string | null;
}

type Input = Record<string, unknown>;
const shown = (v: unknown): string | null =>
  v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v);

/** The call's own arguments, each as a new value: what any action's diff falls back to. */
const asArguments = (input: Input): Change[] =>
  Object.entries(input).map(([field, v]) => ({ field, before: null, after: shown(v) }));

// Actions whose effect on one current value is known: each shows that value before and after.
const EFFECTS: Record<string, (tx: Tx, input: Input) => Promise<Change[]>> = {
  set_lock_date: async (tx, input) => [{ field: 'lock date', before: await getLockDate(tx), after: shown(input.date) }],
  set_user_role: async (tx, input) => {
    const [user] = await tx.query<{ email: string; role: string }>('select email, role from users where id = $1', [
      input.user_id,
    ]);
    return [
      {
        field: `role of ${user?.email ?? `user ${String(input.user_id)}`}`,
        before: user?.role ?? null,
        after: shown(input.role),
      },
    ];
  },
  adjust_stock: async (tx, input) => {
    const level = await getStock(tx, { product_id: input.product_id as number });
    return [
      {
        field: `units on hand of ${level.sku}`,
        before: String(level.qty_on_hand),
        after: String(level.qty_on_hand + (input.change_qty as number)),
      },
    ];
  },
  issue_credit_note: async (tx, input) => {
    if (typeof input.amount !== 'string') return [];
    const invoice = await getInvoice(tx, input.invoice_id as number);
    const open = parseMoney(invoice.open_amount);
    const after = open - parseMoney(input.amount);
    return [
      {
        field: `open amount of ${invoice.invoice_number ?? `invoice ${invoice.id}`}`,
        before: formatMoney(open),
        after: formatMoney(after > 0n ? after : 0n),
      },
    ];
  },
};

/** The diff of a pending call: its known effects, then every argument it was called with. */
async function changesOf(tx: Tx, approval: Approval): Promise<Change[]> {
  const input = (approval.payload_json.input ?? {}) as Input;
  const effect = approval.status === 'pending' ? EFFECTS[approval.action] : undefined;
  // A record the call names may be gone since it was asked for: then only its arguments show.
  const known = effect ? await tx.savepoint((sp) => effect(sp, input)).catch(() => []) : [];
  return [...known, ...asArguments(input)];
}

/**
 * Approvals as their reviewer sees them. `barred` says why the reader may not call decide_approval
 * at all (null when they may): then every approval says so.
 */
export async function review(tx: Tx, approvals: Approval[], reader: User, barred: string | null): Promise<Reviewed[]> {
  const ids = [...new Set(approvals.map((a) => a.requested_by))];
  const names = new Map(
    (await tx.query<{ id: number; name: string }>('select id, name from users where id = any($1::int[])', [ids])).map(
      (u) => [u.id, u.name],
    ),
  );
  const reviewed: Reviewed[] = [];
  for (const a of approvals) {
    const whyNot = barred ?? decisionRefusal(a, reader)?.message ?? null;
    reviewed.push({
      ...a,
      requested_by_name: names.get(a.requested_by) ?? null,
      changes: await changesOf(tx, a),
      may_decide: whyNot === null,
      why_not: whyNot,
    });
  }
  return reviewed;
}
