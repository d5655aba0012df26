// MCP prompts: ready-made tasks that start from live ERP data.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { Db } from './db/types.js';
import { getCustomer } from './domain/sales/customers.js';
import { listTickets } from './domain/sales/tickets.js';

const user = (text: string) => ({ messages: [{ role: 'user' as const, content: { type: 'text' as const, text } }] });

export function registerPrompts(server: McpServer, db: Db): void {
  server.registerPrompt('customer_briefing', {
    title: 'Customer briefing',
    description: 'A one-page briefing on a customer before a call: who they are, what they owe, open orders and tickets, what we remember about them.',
    argsSchema: { customer_id: z.string().regex(/^\d+$/, 'customer_id must be a customer id').describe('customer id') },
  }, async ({ customer_id }) => {
    const id = Number(customer_id);
    const { customer, tickets } = await db.transaction(async (tx) => ({
      customer: await getCustomer(tx, id),
      tickets: (await listTickets(tx, { customer_id: id, limit: 10 })).items.filter((t) => t.status !== 'closed'),
    }));
    return user([
      `Prepare a short briefing on customer ${customer.name} (id ${customer.id}) for a sales call.`,
      'Cover: relationship summary, money owed and anything overdue (use list_invoices with overdue=true), open orders, open tickets, and what we remember about them; end with three suggested talking points.',
      'Data from the ERP:',
      JSON.stringify({ customer, open_tickets: tickets }, null, 2),
    ].join('\n\n'));
  });

  server.registerPrompt('month_end_close', {
    title: 'Month-end close',
    description: 'Walks through closing a month: integrity checks, unbilled shipments, overdue receivables, reports, and locking the period.',
    argsSchema: { month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month must be YYYY-MM').describe('month to close, YYYY-MM') },
  }, async ({ month }) => {
    const [y, m] = month.split('-').map(Number) as [number, number];
    const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    return user([
      `Help me close the books for ${month} (through ${last}). Work step by step and stop to report any problem:`,
      '1. Run check_books and reconcile_stock; every check must pass.',
      `2. Find fulfilled orders of ${month} that are not invoiced yet (list_orders status=fulfilled, check invoice_id) and propose invoices.`,
      '3. List overdue invoices (list_invoices overdue=true) and the ar_aging report; suggest follow-ups.',
      `4. Produce trial_balance as_of ${last}, income_statement from ${month}-01 to ${last}, and balance_sheet as_of ${last}; confirm it balances.`,
      `5. If all is well, request set_lock_date with date ${last} (it needs a second person's approval).`,
    ].join('\n'));
  });
}
