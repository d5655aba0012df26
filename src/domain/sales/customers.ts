// Customers: the master record and its search (customer-detail.ts adds what a salesperson needs at a glance).
import type { Tx } from '../../db/types.js';
import { notFound } from '../shared/errors.js';
import { decodeCursor, toPage, type Page } from '../shared/pagination.js';

export interface Customer {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  created_at: string;
  updated_at: string;
}

export interface CustomerInput {
  name: string;
  email?: string | null;
  phone?: string | null;
}

const COLUMNS = 'id, name, email, phone, created_at, updated_at';

export async function createCustomer(tx: Tx, input: CustomerInput): Promise<Customer> {
  const [row] = await tx.query<Customer>(
    `insert into customers (name, email, phone) values ($1, $2, $3) returning ${COLUMNS}`,
    [input.name, input.email ?? null, input.phone ?? null],
  );
  return row!;
}

export async function updateCustomer(tx: Tx, id: number, patch: Partial<CustomerInput>): Promise<Customer> {
  const [row] = await tx.query<Customer>(
    `update customers set
       name = coalesce($2, name),
       email = case when $3::boolean then $4 else email end,
       phone = case when $5::boolean then $6 else phone end,
       updated_at = now()
     where id = $1 returning ${COLUMNS}`,
    [
      id,
      patch.name ?? null,
      patch.email !== undefined,
      patch.email ?? null,
      patch.phone !== undefined,
      patch.phone ?? null,
    ],
  );
  if (!row) throw notFound('Customer', id);
  return row;
}

export async function requireCustomer(tx: Tx, id: number, lock = false): Promise<Customer> {
  const [row] = await tx.query<Customer>(`select ${COLUMNS} from customers where id = $1${lock ? ' for update' : ''}`, [
    id,
  ]);
  if (!row) throw notFound('Customer', id);
  return row;
}

export interface SearchCustomersInput {
  query?: string;
  limit: number;
  cursor?: string;
}

/** Name or e-mail contains the query, ignoring case and accents; ordered by name. */
export async function searchCustomers(tx: Tx, input: SearchCustomersInput): Promise<Page<Customer>> {
  const after = decodeCursor(input.cursor, ['string', 'number']);
  const pattern = input.query ? `%${escapeLike(input.query)}%` : null;
  const rows = await tx.query<Customer & { sort_key: string }>(
    `select ${COLUMNS}, erp_fold(name) as sort_key from customers
     where ($1::text is null or erp_fold(name) like erp_fold($1) or erp_fold(email) like erp_fold($1))
       and ($2::text is null or (erp_fold(name), id) > ($2, $3::int))
     order by erp_fold(name), id limit $4`,
    [pattern, after?.[0] ?? null, after?.[1] ?? null, input.limit + 1],
  );
  return toPage(
    rows,
    input.limit,
    (r) => [r.sort_key, r.id],
    ({ sort_key: _, ...c }) => c,
  );
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
