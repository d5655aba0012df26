// Invoice: one invoice or credit note as a printable document — lines, taxes, totals, the payments
// and credit notes applied, what is still open, and its status. Every figure is the tool's own
// (get_invoice): the view adds nothing up.
import { connect } from '../lib/bridge.js';
import { errorBox, h, render } from '../lib/dom.js';
import { date, money } from '../lib/format.js';

interface Line {
  description: string;
  quantity: string;
  unit_price: string;
  discount: string;
  line_total: string;
  tax_amount: string;
}
interface Applied {
  kind: 'payment' | 'credit_note' | 'invoice';
  id: number;
  reference: string | null;
  date: string;
  amount: string;
}
interface Invoice {
  id: number;
  kind: 'invoice' | 'credit_note';
  invoice_number: string | null;
  customer_id: number;
  customer_name: string;
  status: string;
  issue_date: string;
  due_date: string;
  subtotal: string;
  tax_rate: string;
  tax_amount: string;
  total_amount: string;
  paid: string;
  credited: string;
  open_amount: string;
  overdue: boolean;
  credited_invoice_id: number | null;
  reason: string | null;
  order_ids: number[];
  lines: Line[];
  applied: Applied[];
}

const STATUS: Record<string, string> = { paid: 'ok', posted: '', draft: 'warn', void: 'danger' };
const percent = (fraction: string) => `${(Number(fraction) * 100).toFixed(2).replace(/\.?0+$/, '')} %`;
const APPLIED_KIND: Record<Applied['kind'], string> = {
  payment: 'Payment',
  credit_note: 'Credit note',
  invoice: 'Applied to invoice',
};

function lines(inv: Invoice): HTMLElement {
  return h(
    'div',
    { class: 'scroll' },
    h(
      'table',
      { class: 'lines' },
      h('caption', { class: 'sr-only' }, 'Lines'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'Description'),
          h('th', { class: 'num' }, 'Qty'),
          h('th', { class: 'num' }, 'Unit price'),
          h('th', { class: 'num opt' }, 'Discount'),
          h('th', { class: 'num' }, 'Net'),
          h('th', { class: 'num opt' }, 'Tax'),
        ),
      ),
      h(
        'tbody',
        {},
        inv.lines.map((l) =>
          h(
            'tr',
            {},
            h('td', { class: 'desc' }, l.description),
            h('td', { class: 'num' }, l.quantity),
            h('td', { class: 'num' }, money(l.unit_price)),
            h('td', { class: 'num opt' }, Number(l.discount) ? percent(l.discount) : '—'),
            h('td', { class: 'num' }, money(l.line_total)),
            h('td', { class: 'num opt' }, money(l.tax_amount)),
          ),
        ),
      ),
    ),
  );
}

function totals(inv: Invoice): HTMLElement {
  const row = (key: string, text: string, value: string, cls = '') =>
    h(
      'tr',
      { class: cls },
      h('th', { scope: 'row' }, text),
      h('td', { class: 'num', 'data-total': key }, money(value)),
    );
  const credit = inv.kind === 'credit_note';
  return h(
    'table',
    { class: 'totals' },
    h(
      'tbody',
      {},
      row('subtotal', 'Subtotal', inv.subtotal),
      row('tax_amount', `Tax (${percent(inv.tax_rate)})`, inv.tax_amount),
      row('total_amount', 'Total', inv.total_amount, 'grand'),
      credit ? null : row('paid', 'Paid', inv.paid),
      credit ? null : row('credited', 'Credited', inv.credited),
      row('open_amount', credit ? 'Credit not yet applied' : 'Open', inv.open_amount, 'open'),
    ),
  );
}

function applied(inv: Invoice): HTMLElement | null {
  if (inv.applied.length === 0) return null;
  return h(
    'section',
    { class: 'applied' },
    h('h2', {}, inv.kind === 'credit_note' ? 'Applied to' : 'Payments and credit notes'),
    h(
      'div',
      { class: 'scroll' },
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, 'Date'),
            h('th', {}, 'Kind'),
            h('th', {}, 'Reference'),
            h('th', { class: 'num' }, 'Amount'),
          ),
        ),
        h(
          'tbody',
          {},
          inv.applied.map((a) =>
            h(
              'tr',
              { 'data-applied': a.kind },
              h('td', {}, date(a.date)),
              h('td', {}, APPLIED_KIND[a.kind]),
              h('td', {}, a.reference ?? `#${a.id}`),
              h('td', { class: 'num' }, money(a.amount)),
            ),
          ),
        ),
      ),
    ),
  );
}

function show(data: Record<string, unknown>): void {
  const inv = data as unknown as Invoice;
  const title = `${inv.kind === 'credit_note' ? 'Credit note' : 'Invoice'} ${inv.invoice_number ?? `draft #${inv.id}`}`;
  render(
    h('div', { class: 'toolbar' }, h('button', { onclick: () => window.print() }, 'Print')),
    h(
      'article',
      { class: 'doc', 'aria-label': title },
      h(
        'header',
        { class: 'doc-head' },
        h('h1', {}, title),
        h(
          'span',
          { class: 'row' },
          h('span', { class: `badge ${STATUS[inv.status] ?? ''}`, 'data-status': inv.status }, inv.status),
          inv.overdue ? h('span', { class: 'badge danger' }, 'overdue') : null,
        ),
      ),
      h(
        'div',
        { class: 'parties' },
        h(
          'dl',
          {},
          h('dt', {}, 'Bill to'),
          h('dd', { 'data-customer': inv.customer_id }, inv.customer_name),
          h('dt', {}, 'Customer no.'),
          h('dd', {}, String(inv.customer_id)),
          inv.order_ids.length
            ? [h('dt', {}, 'Orders'), h('dd', {}, inv.order_ids.map((o) => `#${o}`).join(', '))]
            : null,
        ),
        h(
          'dl',
          {},
          h('dt', {}, 'Issued'),
          h('dd', {}, date(inv.issue_date)),
          h('dt', {}, 'Due'),
          h('dd', {}, date(inv.due_date)),
          inv.credited_invoice_id ? [h('dt', {}, 'Credits invoice'), h('dd', {}, `#${inv.credited_invoice_id}`)] : null,
          inv.reason ? [h('dt', {}, 'Reason'), h('dd', {}, inv.reason)] : null,
        ),
      ),
      lines(inv),
      totals(inv),
      applied(inv),
    ),
  );
}

void connect(
  'invoice',
  (data) => show(data),
  (message) => render(errorBox(message)),
);
