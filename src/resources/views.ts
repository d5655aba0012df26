// MCP Apps views (extension io.modelcontextprotocol/ui): one self-contained HTML file per view,
// built from views/<name>/ into dist/views/<name>/index.html (views/build.mjs), served as
// ui://erp/<name>. The tools that open one name it (ToolDef.view); a host renders the tool's result
// in it, and every call the view makes comes back through the gate like any other.
import { readFile } from 'node:fs/promises';
import { RESOURCE_MIME_TYPE } from '@modelcontextprotocol/ext-apps/server';
import type { Resource } from '@modelcontextprotocol/server';
import { mayRead, type Toolset } from '../domain/platform/roles.js';
import type { Role } from '../domain/platform/users.js';
import { DomainError } from '../domain/shared/errors.js';

export const VIEW_NAMES = ['approvals', 'invoice', 'dashboard', 'customer'] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

interface View {
  name: ViewName;
  title: string;
  description: string;
  /** Shown to a role that may read any of these: the toolsets of the tools that open it. */
  toolsets: readonly Toolset[];
}

const VIEWS: readonly View[] = [
  {
    name: 'approvals',
    title: 'Approvals inbox',
    toolsets: ['router'],
    description:
      'Pending approvals as before/after diffs, with approve and reject buttons (list_approvals, get_approval).',
  },
  {
    name: 'invoice',
    title: 'Invoice',
    toolsets: ['finance'],
    description:
      'An invoice as a printable document: lines, taxes, totals, payments and credit notes, open amount (get_invoice).',
  },
  {
    name: 'dashboard',
    title: 'Sales and receivables dashboard',
    toolsets: ['analytics', 'finance'],
    description:
      'Revenue by month, top customers and products, receivables aging as charts with their tables (sales_report, kpi_snapshot, ar_aging).',
  },
  {
    name: 'customer',
    title: 'Customer 360',
    toolsets: ['sales'],
    description:
      'One customer: orders, invoices, open balance, tickets, remembered facts and recent activity (get_customer).',
  },
];

const PREFIX = 'ui://erp/';
export const viewUri = (name: ViewName) => `${PREFIX}${name}`;

// No network of their own: a view's code and styles are inlined, and its data comes through the
// host bridge, so every domain list is empty (ext-apps: empty or omitted means none allowed).
const UI_META = {
  ui: { csp: { connectDomains: [], resourceDomains: [], frameDomains: [], baseUriDomains: [] }, prefersBorder: true },
};

// From src/resources or dist/resources alike, two levels up is the package root.
const BUILT = new URL('../../dist/views/', import.meta.url);

export const mayOpenView = (role: Role, view: View) => view.toolsets.some((t) => mayRead(role, t));

/** The views this role may open, as resources/list entries. */
export const listViews = (role: Role): Resource[] =>
  VIEWS.filter((v) => mayOpenView(role, v)).map((v) => ({
    uri: viewUri(v.name),
    name: v.name,
    title: v.title,
    description: v.description,
    mimeType: RESOURCE_MIME_TYPE,
    _meta: UI_META,
  }));

/** The view a ui://erp/ URI names; undefined for any other URI, null for an unknown view. */
export function viewAt(uri: string): View | null | undefined {
  if (!uri.startsWith(PREFIX)) return undefined;
  return VIEWS.find((v) => uri === viewUri(v.name)) ?? null;
}

// A built view is a few hundred KB that does not change while the server runs: read once per process.
const built = new Map<ViewName, Promise<string>>();

/** A view's resources/read content: its built HTML file, with the CSP the host should apply. */
export async function readView(view: View) {
  let html = built.get(view.name);
  if (!html) {
    html = readFile(new URL(`${view.name}/index.html`, BUILT), 'utf8');
    built.set(view.name, html);
  }
  let text: string;
  try {
    text = await html;
  } catch {
    built.delete(view.name); // not built yet: a later read may find it
    throw new DomainError('NOT_FOUND', `View ${view.name} is not built; run npm run build`);
  }
  return { uri: viewUri(view.name), mimeType: RESOURCE_MIME_TYPE, text, _meta: UI_META };
}
