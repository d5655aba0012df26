// Support tickets per customer: open → pending → resolved → closed; closed is final.
import type { Tx } from '../../db/types.js';
import { conflict, notFound } from '../shared/errors.js';
import { decodeCursor, toPage, type Page } from '../shared/pagination.js';
import { requireCustomer } from './customers.js';

export const TICKET_STATUSES = ['open', 'pending', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export interface Ticket {
  id: number;
  customer_id: number;
  subject: string;
  body: string;
  status: TicketStatus;
  created_at: string;
  updated_at: string;
}

const COLUMNS = 'id, customer_id, subject, body, status, created_at, updated_at';

export async function createTicket(
  tx: Tx,
  input: { customer_id: number; subject: string; body: string },
): Promise<Ticket> {
  await requireCustomer(tx, input.customer_id);
  const [row] = await tx.query<Ticket>(
    `insert into tickets (customer_id, subject, body) values ($1, $2, $3) returning ${COLUMNS}`,
    [input.customer_id, input.subject, input.body],
  );
  return row!;
}

export async function updateTicket(
  tx: Tx,
  id: number,
  patch: { status?: TicketStatus; subject?: string; body?: string },
): Promise<Ticket> {
  const [current] = await tx.query<{ status: TicketStatus }>('select status from tickets where id = $1 for update', [
    id,
  ]);
  if (!current) throw notFound('Ticket', id);
  if (current.status === 'closed') throw conflict(`Ticket ${id} is closed; open a new ticket instead`);
  const [row] = await tx.query<Ticket>(
    `update tickets set status = coalesce($2, status), subject = coalesce($3, subject), body = coalesce($4, body), updated_at = now()
     where id = $1 returning ${COLUMNS}`,
    [id, patch.status ?? null, patch.subject ?? null, patch.body ?? null],
  );
  return row!;
}

export async function listTickets(
  tx: Tx,
  input: { customer_id?: number; status?: TicketStatus; limit: number; cursor?: string },
): Promise<Page<Ticket>> {
  const before = decodeCursor(input.cursor, ['number']);
  const rows = await tx.query<Ticket>(
    `select ${COLUMNS} from tickets
     where ($1::int is null or customer_id = $1) and ($2::text is null or status = $2) and ($3::int is null or id < $3)
     order by id desc limit $4`,
    [input.customer_id ?? null, input.status ?? null, before?.[0] ?? null, input.limit + 1],
  );
  return toPage(
    rows,
    input.limit,
    (r) => [r.id],
    (r) => r,
  );
}
