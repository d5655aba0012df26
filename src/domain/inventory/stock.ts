// Stock on hand moves only through recordMovement, and through an order's shipment (fulfillOrder
// in sales/orders.ts), each of which writes the movements and the stock rows in one statement of
// the caller's transaction, so qty_on_hand always equals the sum of movements.
import type { Tx } from '../../db/types.js';
import { DomainError, notFound } from '../shared/errors.js';

export type MovementReason = 'opening' | 'purchase' | 'sale' | 'adjustment' | 'write_off' | 'return';

export interface MovementInput {
  product_id: number;
  change_qty: number;
  reason: MovementReason;
  ref_id?: number | null;
  unit_cost?: string | null;
  note?: string | null;
  created_by?: number | null;
}

export async function recordMovement(tx: Tx, m: MovementInput): Promise<{ movement_id: number; qty_on_hand: number }> {
  // One statement: a conditional update (concurrent movements cannot both pass the check) and the
  // movement, written only when the update was.
  const [moved] = await tx.query<{ qty_on_hand: number; movement_id: number }>(
    `with stock_row as (
       update stock set qty_on_hand = qty_on_hand + $2, updated_at = now()
       where product_id = $1 and qty_on_hand + $2 >= reserved_qty returning qty_on_hand
     ), movement as (
       insert into stock_movements (product_id, change_qty, reason, ref_id, unit_cost, note, created_by)
       select $1, $2, $3, $4, $5, $6, $7 from stock_row returning id
     )
     select stock_row.qty_on_hand, movement.id as movement_id from stock_row, movement`,
    [m.product_id, m.change_qty, m.reason, m.ref_id ?? null, m.unit_cost ?? null, m.note ?? null, m.created_by ?? null],
  );
  if (!moved) {
    const [exists] = await tx.query<{ name: string }>('select name from products where id = $1', [m.product_id]);
    if (!exists) throw notFound('Product', m.product_id);
    throw new DomainError(
      'INSUFFICIENT_STOCK',
      `Not enough unreserved stock of ${exists.name} (product ${m.product_id}) to remove ${-m.change_qty}`,
    );
  }
  return moved;
}
