// Approvals inbox: pending approvals as before/after diffs with approve and reject buttons that
// call decide_approval through the host. The server decides who may (four-eyes, approver roles):
// the view only shows what list_approvals says — disabled buttons with the reason, or none at all
// for a role that never decides.
import { connect, type Bridge } from '../lib/bridge.js';
import { h, render, errorBox } from '../lib/dom.js';
import { dateTime } from '../lib/format.js';

interface Change {
  field: string;
  before: string | null;
  after: string | null;
}
interface Approval {
  id: number;
  module: string;
  action: string;
  status: string;
  reason: string | null;
  requested_by: number;
  requested_by_name: string | null;
  created_at: string;
  decided_at: string | null;
  changes: Change[];
  may_decide: boolean;
  why_not: string | null;
}
interface You {
  user_id: number;
  role: string;
  decides_approvals: boolean;
}
interface Listing {
  items?: Approval[];
  you: You;
}

const STATUS_CLASS: Record<string, string> = {
  executed: 'ok',
  approved: 'ok',
  rejected: 'danger',
  failed: 'danger',
  expired: 'warn',
  pending: '',
};
const badge = (status: string) =>
  h('span', { class: `badge ${STATUS_CLASS[status] ?? ''}`, 'data-status': status }, status);

function diff(changes: Change[]): HTMLElement {
  const rows = changes.map((c) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, c.field),
      h('td', { class: c.before === null ? 'same' : 'before' }, c.before === null ? '—' : `− ${c.before}`),
      h('td', { class: 'after' }, c.after === null ? '—' : `+ ${c.after}`),
    ),
  );
  return h(
    'div',
    { class: 'scroll' },
    h(
      'table',
      { class: 'diff' },
      h('caption', { class: 'sr-only' }, 'What the call would change'),
      h('thead', {}, h('tr', {}, h('th', {}, 'Field'), h('th', {}, 'Before'), h('th', {}, 'After'))),
      h('tbody', {}, rows),
    ),
  );
}

function actions(a: Approval, you: You, bridge: Bridge, card: HTMLElement): HTMLElement | null {
  if (!you.decides_approvals) return null;
  const note = `why-${a.id}`;
  const reason = h('input', {
    type: 'text',
    placeholder: 'Reason (optional)',
    'aria-label': `Reason for deciding approval ${a.id}`,
    disabled: !a.may_decide,
    maxlength: 1000,
  });
  const outcome = h('div', { class: 'outcome', role: 'status' });
  const decide = async (decision: 'approve' | 'reject') => {
    for (const b of card.querySelectorAll('button')) b.disabled = true;
    outcome.replaceChildren(h('span', { class: 'muted' }, decision === 'approve' ? 'Approving…' : 'Rejecting…'));
    try {
      const args: Record<string, unknown> = { approval_id: a.id, decision };
      if (reason.value.trim()) args.reason = reason.value.trim();
      const decided = await bridge.call<Approval>('decide_approval', args);
      card.querySelector('[data-status]')?.replaceWith(badge(decided.status));
      card.dataset.status = decided.status;
      outcome.replaceChildren(h('span', {}, `Decided: ${decided.status}`));
    } catch (error) {
      outcome.replaceChildren(errorBox((error as Error).message));
      for (const b of card.querySelectorAll('button')) b.disabled = false;
    }
  };
  const button = (decision: 'approve' | 'reject', text: string, cls: string) =>
    h(
      'button',
      {
        class: cls,
        'data-action': decision,
        disabled: !a.may_decide,
        'aria-describedby': a.may_decide ? null : note,
        onclick: () => void decide(decision),
      },
      text,
    );
  return h(
    'div',
    { class: 'actions' },
    h('div', { class: 'row' }, reason, button('approve', 'Approve', 'primary'), button('reject', 'Reject', 'danger')),
    a.may_decide ? null : h('p', { id: note, class: 'not-allowed muted', 'data-why-not': '' }, a.why_not ?? ''),
    outcome,
  );
}

function card(a: Approval, you: You, bridge: Bridge): HTMLElement {
  const el = h('article', {
    class: 'card approval',
    'data-approval-id': a.id,
    'data-status': a.status,
    'aria-labelledby': `title-${a.id}`,
  });
  el.append(
    ...[
      h(
        'header',
        {},
        h('h2', { id: `title-${a.id}` }, `#${a.id} ${a.action}`),
        h('span', { class: 'row' }, h('span', { class: 'badge' }, a.module), badge(a.status)),
      ),
      h(
        'p',
        { class: 'meta muted' },
        `Asked by ${a.requested_by_name ?? `user ${a.requested_by}`}${a.requested_by === you.user_id ? ' (you)' : ''} · ${dateTime(a.created_at)}`,
      ),
      a.reason ? h('p', { class: 'why' }, h('strong', {}, 'Why: '), a.reason) : null,
      diff(a.changes),
    ].filter((n): n is HTMLElement => n !== null),
  );
  const controls = a.status === 'pending' ? actions(a, you, bridge, el) : null;
  if (controls) el.append(controls);
  return el;
}

function show(data: Record<string, unknown>, bridge: Bridge): void {
  const listing = data as unknown as Listing & Approval;
  const items = listing.items ?? [listing];
  const pending = items.filter((a) => a.status === 'pending');
  const others = items.filter((a) => a.status !== 'pending');
  render(
    h('h1', {}, 'Approvals'),
    h(
      'p',
      { class: 'muted' },
      `${pending.length} pending · you are ${listing.you.role}${listing.you.decides_approvals ? '' : ' (you may view approvals, not decide them)'}`,
    ),
    pending.length
      ? pending.map((a) => card(a, listing.you, bridge))
      : h('p', { class: 'card' }, 'Nothing is waiting for a decision.'),
    others.length ? [h('h2', {}, 'Decided'), ...others.map((a) => card(a, listing.you, bridge))] : null,
  );
}

void connect('approvals', show, (message) => render(errorBox(message)));
