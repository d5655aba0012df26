// sales toolset, part three: CRM — leads with scoring, and support tickets.
import { z } from 'zod';
import {
  convertLead,
  createLead,
  LEAD_STATUSES,
  listLeads,
  scoreLead,
  updateLeadStatus,
} from '../domain/sales/leads.js';
import { createTicket, listTickets, TICKET_STATUSES, updateTicket } from '../domain/sales/tickets.js';
import { invalid } from '../domain/shared/errors.js';
import { defineTool } from './define.js';
import { email, id, pageInput, pageOutput, text, timestamp } from './schemas.js';

const lead = z.object({
  id: z.number().int(),
  customer_name: z.string(),
  contact_email: z.string().nullable(),
  message: z.string(),
  score: z.number().min(0).max(1).nullable(),
  status: z.enum(LEAD_STATUSES),
  customer_id: z.number().int().nullable().describe('set once the lead is converted'),
  created_at: timestamp,
});
const scored = lead.extend({
  score: z.number().min(0).max(1),
  reasons: z
    .array(z.object({ feature: z.string(), value: z.number(), contribution: z.number() }))
    .describe('top features by contribution to the score'),
  model: z.string(),
});
const ticket = z.object({
  id: z.number().int(),
  customer_id: z.number().int(),
  subject: z.string(),
  body: z.string(),
  status: z.enum(TICKET_STATUSES),
  created_at: timestamp,
  updated_at: timestamp,
});

const write = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false } as const;
const read = { readOnlyHint: true, idempotentHint: true, openWorldHint: false } as const;
const leadId = id();
const showScore = (l: z.output<typeof scored>) =>
  `Lead ${l.id} (${l.customer_name}) scores ${l.score.toFixed(2)}; top reasons: ${l.reasons.map((r) => r.feature).join(', ') || 'none'}`;

export const createLeadTool = defineTool({
  name: 'create_lead',
  title: 'Create lead',
  description:
    'Records an enquiry from a prospective customer and scores it at once (0–1, higher = likelier to buy) with the lead-score-logistic model, returning the top reasons. Features: company vs free-mail domain, buying intent, product mentions, detail, quantities.',
  toolset: 'sales',
  input: z.strictObject({
    customer_name: text(200, 'customer_name'),
    contact_email: email.optional(),
    message: z.string().trim().max(10_000),
  }),
  output: scored,
  annotations: write,
  summary: showScore,
  run: (ctx, input) => createLead(ctx.tx, input),
});

export const scoreLeadTool = defineTool({
  name: 'score_lead',
  title: 'Re-score lead',
  description:
    "Recomputes a lead's score and explanation (e.g. after the catalogue changed), updating the cached features.",
  toolset: 'sales',
  input: z.strictObject({ lead_id: leadId }),
  output: scored,
  annotations: { ...write, idempotentHint: true },
  summary: showScore,
  run: (ctx, input) => scoreLead(ctx.tx, input.lead_id),
});

export const listLeadsTool = defineTool({
  name: 'list_leads',
  title: 'List leads',
  description:
    'Lists leads, best score first, optionally only one status (new, contacted, qualified, won, lost) or at least min_score. Paginated.',
  toolset: 'sales',
  input: z.strictObject({
    status: z.enum(LEAD_STATUSES).optional(),
    min_score: z.number().min(0).max(1).optional(),
    ...pageInput,
  }),
  output: pageOutput(lead),
  annotations: read,
  summary: (o) => `${o.items.length} lead(s)${o.next_cursor ? ', more available' : ''}`,
  run: (ctx, input) => listLeads(ctx.tx, input),
});

export const updateLeadStatusTool = defineTool({
  name: 'update_lead_status',
  title: 'Update lead status',
  description:
    'Moves a lead to new, contacted, qualified or lost. Won and lost leads are closed. To win a lead use convert_lead, which also creates the customer.',
  toolset: 'sales',
  input: z.strictObject({ lead_id: leadId, status: z.enum(LEAD_STATUSES) }),
  output: lead,
  annotations: { ...write, idempotentHint: true },
  summary: (l) => `Lead ${l.id} is now ${l.status}`,
  run: (ctx, input) => updateLeadStatus(ctx.tx, input.lead_id, input.status),
});

export const convertLeadTool = defineTool({
  name: 'convert_lead',
  title: 'Convert lead to customer',
  description:
    'Wins a lead: creates the customer from its name and e-mail, marks the lead won and links it to the new customer.',
  toolset: 'sales',
  input: z.strictObject({ lead_id: leadId }),
  output: lead,
  annotations: { ...write, idempotentHint: true },
  summary: (l) => `Lead ${l.id} won: customer ${l.customer_id} created`,
  run: (ctx, input) => convertLead(ctx.tx, input.lead_id),
});

export const createTicketTool = defineTool({
  name: 'create_ticket',
  title: 'Create support ticket',
  description: 'Opens a support ticket for a customer with a subject and body.',
  toolset: 'sales',
  input: z.strictObject({
    customer_id: id(),
    subject: text(300, 'subject'),
    body: z.string().trim().max(20_000).default(''),
  }),
  output: ticket,
  annotations: write,
  summary: (t) => `Opened ticket ${t.id}: ${t.subject}`,
  run: (ctx, input) => createTicket(ctx.tx, input),
});

export const updateTicketTool = defineTool({
  name: 'update_ticket',
  title: 'Update support ticket',
  description:
    "Changes a ticket's status (open, pending, resolved, closed), subject or body. Closed tickets are final.",
  toolset: 'sales',
  input: z.strictObject({
    ticket_id: id(),
    status: z.enum(TICKET_STATUSES).optional(),
    subject: text(300, 'subject').optional(),
    body: z.string().trim().max(20_000).optional(),
  }),
  output: ticket,
  annotations: { ...write, idempotentHint: true },
  summary: (t) => `Ticket ${t.id} is ${t.status}: ${t.subject}`,
  run: (ctx, { ticket_id, ...patch }) => {
    if (Object.keys(patch).length === 0) throw invalid('Nothing to update: pass status, subject or body');
    return updateTicket(ctx.tx, ticket_id, patch);
  },
});

export const listTicketsTool = defineTool({
  name: 'list_tickets',
  title: 'List support tickets',
  description: 'Lists tickets, newest first, optionally for one customer and/or one status. Paginated.',
  toolset: 'sales',
  input: z.strictObject({ customer_id: id().optional(), status: z.enum(TICKET_STATUSES).optional(), ...pageInput }),
  output: pageOutput(ticket),
  annotations: read,
  summary: (o) => `${o.items.length} ticket(s)${o.next_cursor ? ', more available' : ''}`,
  run: (ctx, input) => listTickets(ctx.tx, input),
});

export const crmTools = [
  createLeadTool,
  scoreLeadTool,
  listLeadsTool,
  updateLeadStatusTool,
  convertLeadTool,
  createTicketTool,
  updateTicketTool,
  listTicketsTool,
];
