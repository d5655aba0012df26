// Receiving and adjusting stock, with the books kept in step in the same transaction.
// Valuation rule: inventory account 1200 always equals Σ qty_on_hand × products.cost. A receipt
// at another unit cost moves products.cost to the weighted average (rounded half-up to cents);
// the cent the rounding creates is booked to 5000 as a purchase price variance, so 1200 stays
// exact. Receipts: Dr 1200 / Cr 2000 Accounts Payable. Count gains: Dr 1200 / Cr 4900 Other
// Income; count losses and write-offs: Dr 6000 Operating Expenses / Cr 1200, at product cost.
import type { Tx } from '../../db/types.js';
import { ACCOUNTS } from '../finance/accounts.js';
import { postEntry, type EntryLine } from '../finance/ledger.js';
import { today } from '../shared/clock.js';
import { invalid, notFound } from '../shared/errors.js';
import { divRoundHalfUp, formatMoney, parseMoney } from '../shared/money.js';
import { recordMovement } from './stock.js';

interface Locked {
  id: number;
  sku: string;
  name: string;
  cost: string;
  price: string;
  qty_on_hand: number;
}

async function lockProductStock(tx: Tx, productId: number): Promise<Locked> {
  const [row] = await tx.query<Locked>(
    `select p.id, p.sku, p.name, p.cost, p.price, s.qty_on_hand from products p join stock s on s.product_id = p.id
     where p.id = $1 for update of p, s`,
    [productId],
  );
  if (!row) throw notFound('Product', productId);
  return row;
}

export interface ReceiveInput {
  product_id: number;
  quantity: number;
  unit_cost?: string | number;
  supplier_id?: number;
  reference?: string;
}

export async function receiveStock(
  tx: Tx,
  input: ReceiveInput,
  userId: number | null,
): Promise<{ movement_id: number; entry_id: number; new_cost: string }> {
  const p = await lockProductStock(tx, input.product_id);
  if (input.supplier_id !== undefined) {
    const [s] = await tx.query('select 1 from suppliers where id = $1', [input.supplier_id]);
    if (!s) throw notFound('Supplier', input.supplier_id);
  }
  const oldCost = parseMoney(p.cost);
  const unitCost = input.unit_cost === undefined ? oldCost : parseMoney(input.unit_cost, 'unit_cost');
  if (unitCost < 0n) throw invalid('unit_cost must not be negative');
  const onHand = BigInt(p.qty_on_hand);
  const qty = BigInt(input.quantity);
  const newCost = divRoundHalfUp(onHand * oldCost + qty * unitCost, onHand + qty);
  const valueChange = (onHand + qty) * newCost - onHand * oldCost;
  const payable = qty * unitCost;
  await tx.query('update products set cost = $2, updated_at = now() where id = $1', [p.id, formatMoney(newCost)]);
  const note =
    [input.reference, input.supplier_id ? `supplier ${input.supplier_id}` : null].filter(Boolean).join('; ') || null;
  const { movement_id } = await recordMovement(tx, {
    product_id: p.id,
    change_qty: input.quantity,
    reason: 'purchase',
    ref_id: input.supplier_id ?? null,
    unit_cost: formatMoney(unitCost),
    note,
    created_by: userId,
  });
  const variance = valueChange - payable;
  const lines: EntryLine[] = [
    valueChange >= 0n
      ? { account: ACCOUNTS.inventory, debit: valueChange }
      : { account: ACCOUNTS.inventory, credit: -valueChange },
    { account: ACCOUNTS.accountsPayable, credit: payable },
    ...(variance === 0n
      ? []
      : [
          variance > 0n
            ? { account: ACCOUNTS.costOfGoodsSold, credit: variance }
            : { account: ACCOUNTS.costOfGoodsSold, debit: -variance },
        ]),
  ].filter((l) => (l.debit ?? l.credit ?? 0n) > 0n);
  const entry_id =
    lines.length > 0
      ? await postEntry(tx, {
          entry_date: today(),
          memo: `Received ${input.quantity} × ${p.sku}${input.reference ? ` (${input.reference})` : ''}`,
          source: 'purchase',
          source_id: movement_id,
          created_by: userId,
          lines,
        })
      : 0;
  return { movement_id, entry_id, new_cost: formatMoney(newCost) };
}

export interface AdjustInput {
  product_id: number;
  change_qty: number;
  reason: string;
  kind?: 'count' | 'write_off';
}

function assertAdjustment(input: AdjustInput): void {
  if (input.kind === 'write_off' && input.change_qty > 0)
    throw invalid('A write-off removes stock: change_qty must be negative');
}

/**
 * What an adjustment puts at stake, for the approvals policy: the units moved (either sign, any
 * kind) × unit cost, or × price for a product carried at zero cost, whose units are still worth
 * something though nothing is booked. Locks the product first, so the value cannot change
 * before the adjustment runs in the same transaction.
 */
export async function adjustmentValue(tx: Tx, input: AdjustInput): Promise<bigint> {
  assertAdjustment(input);
  const p = await lockProductStock(tx, input.product_id);
  const cost = parseMoney(p.cost);
  return (cost > 0n ? cost : parseMoney(p.price)) * BigInt(Math.abs(input.change_qty));
}

export async function adjustStock(
  tx: Tx,
  input: AdjustInput,
  userId: number | null,
): Promise<{ movement_id: number; value: string }> {
  assertAdjustment(input);
  const p = await lockProductStock(tx, input.product_id);
  const value = parseMoney(p.cost) * BigInt(Math.abs(input.change_qty));
  const reason = input.kind === 'write_off' ? 'write_off' : 'adjustment';
  const { movement_id } = await recordMovement(tx, {
    product_id: p.id,
    change_qty: input.change_qty,
    reason,
    unit_cost: p.cost,
    note: input.reason,
    created_by: userId,
  });
  if (value > 0n) {
    const gain = input.change_qty > 0;
    await postEntry(tx, {
      entry_date: today(),
      memo: `${reason === 'write_off' ? 'Write-off' : 'Stock count'} ${input.change_qty > 0 ? '+' : ''}${input.change_qty} × ${p.sku}: ${input.reason}`,
      source: 'adjustment',
      source_id: movement_id,
      created_by: userId,
      lines: gain
        ? [
            { account: ACCOUNTS.inventory, debit: value },
            { account: ACCOUNTS.otherIncome, credit: value },
          ]
        : [
            { account: ACCOUNTS.operatingExpenses, debit: value },
            { account: ACCOUNTS.inventory, credit: value },
          ],
    });
  }
  return { movement_id, value: formatMoney(value) };
}
