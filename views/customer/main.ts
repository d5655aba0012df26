// Customer 360: one customer (get_customer) with their orders, invoices and tickets (asked for
// through the host: list_orders, list_invoices, list_tickets), open balance, remembered facts and
// recent activity. Each order and invoice is a link that calls get_order / get_invoice; a list the
// user's role may not read says why instead.
import { connect, type Bridge } from '../lib/bridge.js';
import { errorBox, h, render } from '../lib/dom.js';
import { date, money } from '../lib/format.js';

interface Fact {
  key: string;
  value: string;
  updated_at: string;
}
interface Customer {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  created_at: string;
  memory: Fact[];
  open_orders: { id: number }[];
  open_balance: string;
}
interface Order {
  id: number;
  status: string;
  total: string;
  created_at: string;
}
interface Invoice {
  id: number;
  kind: string;
  invoice_number: string | null;
  status: string;
  issue_date: string;
  due_date: string;
  total_amount: string;
  open_amount: string;
  overdue: boolean;
}
interface Ticket {
  id: number;
  subject: string;
  status: string;
  created_at: string;
  updated_at: string;
}
type Page<T> = { items: T[]; next_cursor: string | null };
type Loaded<T> = { ok: true; items: T[]; more: boolean } | { ok: false; why: string };

const LIMIT = 20;
const STATUS: Record<string, string> = {
  paid: 'ok',
  fulfilled: 'ok',
  closed: 'ok',
  resolved: 'ok',
  cancelled: 'danger',
  void: 'danger',
  draft: 'warn',
  open: 'warn',
};
const badge = (status: string, overdue = false) =>
  h(
    'span',
    { class: 'row' },
    h('span', { class: `badge ${STATUS[status] ?? ''}` }, status),
    overdue ? h('span', { class: 'badge danger' }, 'overdue') : null,
  );

async function load<T>(bridge: Bridge, tool: string, customerId: number): Promise<Loaded<T>> {
  try {
    const page = await bridge.call<Page<T>>(tool, { customer_id: customerId, limit: LIMIT });
    return { ok: true, items: page.items, more: page.next_cursor !== null };
  } catch (error) {
    return { ok: false, why: (error as Error).message };
  }
}

function section<T>(
  id: string,
  title: string,
  loaded: Loaded<T>,
  head: string[],
  row: (item: T) => HTMLElement,
): HTMLElement {
  const body = !loaded.ok
    ? h('p', { class: 'muted', 'data-unavailable': '' }, loaded.why)
    : loaded.items.length === 0
      ? h('p', { class: 'muted' }, 'None.')
      : h(
          'div',
          { class: 'scroll' },
          h(
            'table',
            { 'data-table': id },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                head.map((c, i) => h('th', { class: i === head.length - 1 ? 'num' : '' }, c)),
              ),
            ),
            h('tbody', {}, loaded.items.map(row)),
          ),
        );
  return h(
    'section',
    { class: 'card', 'data-section': id },
    h('h2', {}, title),
    body,
    loaded.ok && loaded.more ? h('p', { class: 'muted' }, `Showing the newest ${LIMIT}.`) : null,
  );
}

/** Shows what a link's tool returned, above everything else. */
function detail(
  title: string,
  rows: [string, string][],
  lines?: { description: string; amount: string }[],
): HTMLElement {
  const close = h('button', { onclick: () => el.remove() }, 'Close');
  const el = h(
    'section',
    { class: 'card detail', 'data-detail': title, tabindex: -1 },
    h('header', {}, h('h2', {}, title), close),
    h(
      'dl',
      { class: 'facts' },
      rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
    ),
    lines?.length
      ? h(
          'div',
          { class: 'scroll' },
          h(
            'table',
            {},
            h(
              'tbody',
              {},
              lines.map((l) => h('tr', {}, h('td', {}, l.description), h('td', { class: 'num' }, money(l.amount)))),
            ),
          ),
        )
      : null,
  );
  return el;
}

function link(text: string, open: () => Promise<HTMLElement>): HTMLElement {
  return h(
    'button',
    {
      class: 'link',
      onclick: async () => {
        const slot = document.getElementById('detail')!;
        try {
          slot.replaceChildren(await open());
        } catch (error) {
          slot.replaceChildren(errorBox((error as Error).message));
        }
        (slot.firstElementChild as HTMLElement | null)?.focus();
      },
    },
    text,
  );
}

const openOrder = (bridge: Bridge, id: number) => async () => {
  const o = await bridge.call<Order & { items: { name: string; quantity: number; line_total: string }[] }>(
    'get_order',
    { order_id: id },
  );
  return detail(
    `Order #${o.id}`,
    [
      ['Status', o.status],
      ['Created', date(o.created_at)],
      ['Total', money(o.total)],
    ],
    o.items.map((l) => ({ description: `${l.quantity} × ${l.name}`, amount: l.line_total })),
  );
};

const openInvoice = (bridge: Bridge, id: number) => async () => {
  const i = await bridge.call<
    Invoice & { paid: string; credited: string; lines: { description: string; line_total: string }[] }
  >('get_invoice', { invoice_id: id });
  return detail(
    `${i.kind === 'credit_note' ? 'Credit note' : 'Invoice'} ${i.invoice_number ?? `#${i.id}`}`,
    [
      ['Status', `${i.status}${i.overdue ? ', overdue' : ''}`],
      ['Issued', date(i.issue_date)],
      ['Due', date(i.due_date)],
      ['Total', money(i.total_amount)],
      ['Paid', money(i.paid)],
      ['Credited', money(i.credited)],
      ['Open', money(i.open_amount)],
    ],
    i.lines.map((l) => ({ description: l.description, amount: l.line_total })),
  );
};

function activity(c: Customer, orders: Loaded<Order>, invoices: Loaded<Invoice>, tickets: Loaded<Ticket>): HTMLElement {
  const events: { at: string; text: string }[] = [
    ...(orders.ok
      ? orders.items.map((o) => ({ at: o.created_at, text: `Order #${o.id} ${o.status}, ${money(o.total)}` }))
      : []),
    ...(invoices.ok
      ? invoices.items.map((i) => ({
          at: i.issue_date,
          text: `${i.kind === 'credit_note' ? 'Credit note' : 'Invoice'} ${i.invoice_number ?? `#${i.id}`} ${i.status}, ${money(i.total_amount)}`,
        }))
      : []),
    ...(tickets.ok ? tickets.items.map((t) => ({ at: t.updated_at, text: `Ticket “${t.subject}” ${t.status}` })) : []),
    ...c.memory.map((f) => ({ at: f.updated_at, text: `Noted ${f.key}: ${f.value}` })),
  ]
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, 12);
  return h(
    'section',
    { class: 'card', 'data-section': 'activity' },
    h('h2', {}, 'Recent activity'),
    events.length
      ? h(
          'ol',
          { class: 'activity' },
          events.map((e) => h('li', {}, h('time', { datetime: e.at }, date(e.at)), h('span', {}, e.text))),
        )
      : h('p', { class: 'muted' }, 'Nothing yet.'),
  );
}

async function show(data: Record<string, unknown>, bridge: Bridge): Promise<void> {
  const c = data as unknown as Customer;
  const [orders, invoices, tickets] = await Promise.all([
    load<Order>(bridge, 'list_orders', c.id),
    load<Invoice>(bridge, 'list_invoices', c.id),
    load<Ticket>(bridge, 'list_tickets', c.id),
  ]);
  render(
    h(
      'header',
      { class: 'head' },
      h(
        'div',
        {},
        h('h1', {}, c.name),
        h(
          'p',
          { class: 'muted' },
          [c.email, c.phone, `customer #${c.id} since ${date(c.created_at)}`].filter(Boolean).join(' · '),
        ),
      ),
      h(
        'div',
        {},
        h('div', { class: 'muted' }, 'Open balance'),
        h('div', { class: 'balance', 'data-open-balance': '' }, money(c.open_balance)),
      ),
    ),
    h('div', { id: 'detail' }),
    h(
      'div',
      { class: 'sections' },
      section('orders', `Orders (${c.open_orders.length} open)`, orders, ['Order', 'Date', 'Status', 'Total'], (o) =>
        h(
          'tr',
          {},
          h('td', {}, link(`#${o.id}`, openOrder(bridge, o.id))),
          h('td', {}, date(o.created_at)),
          h('td', {}, badge(o.status)),
          h('td', { class: 'num' }, money(o.total)),
        ),
      ),
      section('invoices', 'Invoices', invoices, ['Invoice', 'Due', 'Status', 'Open'], (i) =>
        h(
          'tr',
          {},
          h('td', {}, link(i.invoice_number ?? `draft #${i.id}`, openInvoice(bridge, i.id))),
          h('td', {}, date(i.due_date)),
          h('td', {}, badge(i.status, i.overdue)),
          h('td', { class: 'num' }, money(i.open_amount)),
        ),
      ),
      section('tickets', 'Tickets', tickets, ['Subject', 'Updated', 'Status'], (t) =>
        h(
          'tr',
          {},
          h('td', {}, t.subject),
          h('td', {}, date(t.updated_at)),
          h('td', { class: 'num' }, badge(t.status)),
        ),
      ),
      h(
        'section',
        { class: 'card', 'data-section': 'memory' },
        h('h2', {}, 'Remembered'),
        c.memory.length
          ? h(
              'dl',
              { class: 'facts' },
              c.memory.flatMap((f) => [h('dt', {}, f.key), h('dd', {}, f.value)]),
            )
          : h('p', { class: 'muted' }, 'Nothing remembered yet.'),
      ),
      activity(c, orders, invoices, tickets),
    ),
  );
}

void connect(
  'customer',
  (data, bridge) => void show(data, bridge),
  (message) => render(errorBox(message)),
);
