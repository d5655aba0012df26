// Customer memory: small facts an assistant should remember about a customer (customer_kv).
import type { Tx } from '../../db/types.js';
import { notFound } from '../shared/errors.js';
import { requireCustomer } from './customers.js';

export interface CustomerFact {
  key: string;
  value: string;
  updated_at: string;
}

export async function rememberCustomerFact(
  tx: Tx,
  customerId: number,
  key: string,
  value: string,
): Promise<CustomerFact> {
  await requireCustomer(tx, customerId);
  const [row] = await tx.query<CustomerFact>(
    `insert into customer_kv (customer_id, key, value) values ($1, $2, $3)
     on conflict (customer_id, key) do update set value = excluded.value, updated_at = now()
     returning key, value, updated_at`,
    [customerId, key, value],
  );
  return row!;
}

export async function getCustomerMemory(tx: Tx, customerId: number): Promise<CustomerFact[]> {
  return tx.query<CustomerFact>('select key, value, updated_at from customer_kv where customer_id = $1 order by key', [
    customerId,
  ]);
}

export async function forgetCustomerFact(tx: Tx, customerId: number, key: string): Promise<CustomerFact> {
  await requireCustomer(tx, customerId);
  const [row] = await tx.query<CustomerFact>(
    'delete from customer_kv where customer_id = $1 and key = $2 returning key, value, updated_at',
    [customerId, key],
  );
  if (!row) throw notFound(`Fact "${key}" of customer`, customerId);
  return row;
}
