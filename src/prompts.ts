// MCP prompts: ready-made tasks that start from live ERP data. prompts/get is answered here
// through the gate (src/gate.ts): each prompt needs read access to the toolset whose data it
// shows or changes (mayUsePrompt in the role table), its arguments are validated, and the get is audited.
// prompts/list shows a role only the prompts it may get.
import type { GetPromptResult, Prompt, Server } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { Tx } from './db/types.js';
import { mayUsePrompt } from './domain/platform/roles.js';
import { getCustomer } from './domain/sales/customer-detail.js';
import { searchCustomers } from './domain/sales/customers.js';
import { listTickets } from './domain/sales/tickets.js';
import { parseRowId } from './domain/shared/ids.js';
import { pass, protocolError, type GateEnv, type Refusal } from './gate.js';
import { describeZodError } from './input.js';

const user = (text: string): GetPromptResult => ({ messages: [{ role: 'user', content: { type: 'text', text } }] });

interface PromptDef<S extends z.ZodRawShape> {
  title: string;
  description: string;
  args: S;
  render: (tx: Tx, args: z.output<z.ZodObject<S>>) => Promise<GetPromptResult>;
}

const customerBriefing: PromptDef<{ customer_id: z.ZodString }> = {
  title: 'Customer briefing',
  description:
    'A one-page briefing on a customer before a call: who they are, what they owe, open orders and tickets, what we remember about them.',
  args: {
    customer_id: z
      .string()
      .regex(/^\d{1,10}$/, 'customer_id must be a customer id (digits)')
      .refine((v) => parseRowId(v) !== null, 'customer_id must be a positive integer below 2^31')
      .describe('customer id'),
  },
  render: async (tx, { customer_id }) => {
    const id = Number(customer_id);
    const customer = await getCustomer(tx, id);
    const tickets = (await listTickets(tx, { customer_id: id, limit: 10 })).items.filter((t) => t.status !== 'closed');
    return user(
      [
        `Prepare a short briefing on customer ${customer.name} (id ${customer.id}) for a sales call.`,
        'Cover: relationship summary, money owed and anything overdue (use list_invoices with overdue=true), open orders, open tickets, and what we remember about them; end with three suggested talking points.',
        'Data from the ERP:',
        JSON.stringify({ customer, open_tickets: tickets }, null, 2),
      ].join('\n\n'),
    );
  },
};

const monthEndClose: PromptDef<{ month: z.ZodString }> = {
  title: 'Month-end close',
  description:
    'Walks through closing a month: integrity checks, unbilled shipments, overdue receivables, reports, and locking the period.',
  args: {
    month: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month must be YYYY-MM')
      .describe('month to close, YYYY-MM'),
  },
  render: async (_tx, { month }) => {
    const [y, m] = month.split('-').map(Number) as [number, number];
    const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    return user(
      [
        `Help me close the books for ${month} (through ${last}). Work step by step and stop to report any problem:`,
        '1. Run check_books and reconcile_stock; every check must pass.',
        `2. Find fulfilled orders of ${month} that are not invoiced yet (list_orders status=fulfilled, check invoice_id) and propose invoices.`,
        '3. List overdue invoices (list_invoices overdue=true) and the ar_aging report; suggest follow-ups.',
        `4. Produce trial_balance as_of ${last}, income_statement from ${month}-01 to ${last}, and balance_sheet as_of ${last}; confirm it balances.`,
        `5. If all is well, request set_lock_date with date ${last} (it needs a second person's approval).`,
      ].join('\n'),
    );
  },
};

// Typed loosely once here, each entry strictly above.
const PROMPTS: Record<string, PromptDef<z.ZodRawShape>> = {
  customer_briefing: customerBriefing as unknown as PromptDef<z.ZodRawShape>,
  month_end_close: monthEndClose as unknown as PromptDef<z.ZodRawShape>,
};

async function getPrompt(
  env: GateEnv,
  name: string,
  args: Record<string, string> | undefined,
): Promise<GetPromptResult> {
  const prompt = Object.hasOwn(PROMPTS, name) ? PROMPTS[name]! : undefined;
  let parsed: Record<string, unknown> = {};
  const check = (): Refusal | null => {
    if (!prompt)
      return {
        status: 'invalid',
        code: 'INVALID_INPUT',
        message: `There is no prompt named ${JSON.stringify(name)}; prompts/list shows them`,
      };
    if (!mayUsePrompt(env.user, name)) {
      const message =
        env.user.readOnly && mayUsePrompt({ role: env.user.role }, name)
          ? `The ${name} prompt walks through changes, and this connection's token allows reads only (scope erp:read)`
          : `Role ${env.user.role} may not use the ${name} prompt`;
      return { status: 'denied', code: 'FORBIDDEN', message };
    }
    const result = z.strictObject(prompt.args).safeParse(args ?? {});
    if (!result.success) return { status: 'invalid', code: 'INVALID_INPUT', message: describeZodError(result.error) };
    parsed = result.data;
    return null;
  };
  const outcome = await pass(
    env,
    { agent: 'prompts', name: 'prompts/get', input: { name, arguments: args ?? {} } },
    check,
    async (tx) => {
      const result = await prompt!.render(tx, parsed);
      return { value: result, output: { name, messages: result.messages.length } };
    },
  );
  if (outcome.ok) return outcome.value;
  throw protocolError(outcome.refusal);
}

/** completion/complete for a prompt argument: customer ids by name (at most `limit`), for those who may read them. */
export async function completePrompt(
  tx: Tx,
  env: GateEnv,
  prompt: string,
  argument: string,
  value: string,
  limit: number,
): Promise<string[]> {
  if (prompt !== 'customer_briefing' || argument !== 'customer_id' || !mayUsePrompt(env.user, prompt)) return [];
  const page = await searchCustomers(tx, { query: value, limit });
  return page.items.map((c) => String(c.id));
}

/** A prompt's prompts/list entry, its arguments read from the zod shape. */
function listed(name: string, prompt: PromptDef<z.ZodRawShape>): Prompt {
  return {
    name,
    title: prompt.title,
    description: prompt.description,
    arguments: (Object.entries(prompt.args) as [string, z.ZodType][]).map(([arg, schema]) => ({
      name: arg,
      description: schema.description,
      required: !schema.safeParse(undefined).success,
    })),
  };
}

export function registerPrompts(server: Server, env: GateEnv): void {
  const visible = Object.entries(PROMPTS)
    .filter(([name]) => mayUsePrompt(env.user, name))
    .map(([name, prompt]) => listed(name, prompt));
  server.setRequestHandler('prompts/list', () => ({ prompts: visible }));
  server.setRequestHandler('prompts/get', (request) => getPrompt(env, request.params.name, request.params.arguments));
}
