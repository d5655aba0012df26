-- 008_money_invariants: the money rules of DESIGN.md checked by PostgreSQL itself, at commit,
-- whatever code wrote the rows (issue 14): no payment, credit note or invoice is applied beyond
-- its amount, and every journal entry balances (Σ debit = Σ credit > 0).
-- Stock needs nothing new: 001's CHECKs (qty_on_hand >= 0, reserved_qty >= 0,
-- reserved_qty <= qty_on_hand) hold for every row version, and concurrent updates of one stock
-- row queue on its row lock and re-evaluate on the latest version.
--
-- A sum checked at commit is safe only if two transactions cannot both pass it, each blind to
-- the other's uncommitted rows. So each check first locks the row whose amount bounds the sum,
-- then sums in a new statement, which under READ COMMITTED sees every row committed before the
-- lock was granted. FOR NO KEY UPDATE excludes other checks and the domain's FOR UPDATE, but not
-- the key-share lock a foreign key takes on insert, so two transactions that each inserted an
-- allocation of the same payment queue at commit instead of deadlocking. Locks follow the
-- domain's order — the payment, then invoices by id — and the domain already holds them, so in
-- normal operation the checks wait for nothing.
-- Plain PL/pgSQL, SECURITY INVOKER, no advisory locks: the server's role runs them as itself.
--
-- SQLSTATEs, mapped to one-line tool errors in src/domain/shared/errors.ts:
--   EM001 payment over-allocated    EM002 credit note over-applied
--   EM003 invoice over-applied      EM004 journal entry does not balance

create function erp_allocations_within_amounts() returns trigger language plpgsql as $$
declare
  v_payment integer;
  v_credit_note integer;
  v_invoice integer;
  v_amount numeric(14,2);
  v_number text;
  v_paid numeric(14,2);
  v_credited numeric(14,2);
begin
  if tg_table_name = 'payment_allocations' then
    v_payment := new.payment_id;
    v_invoice := new.invoice_id;
  elsif tg_table_name = 'credit_allocations' then
    v_credit_note := new.credit_note_id;
    v_invoice := new.invoice_id;
  elsif tg_table_name = 'payments' then
    v_payment := new.id;
  else  -- invoices: its total changed; it may be an invoice or a credit note
    v_credit_note := new.id;
    v_invoice := new.id;
  end if;

  if v_payment is not null then
    select amount into v_amount from payments where id = v_payment for no key update;
    select coalesce(sum(amount), 0) into v_paid from payment_allocations where payment_id = v_payment;
    if v_paid > v_amount then
      raise exception 'Payment % would be allocated % in all, but its amount is %', v_payment, v_paid, v_amount
        using errcode = 'EM001';
    end if;
  end if;

  -- A credit note and the invoice it credits are both invoices rows: locked in id order.
  perform 1 from invoices where id in (v_credit_note, v_invoice) order by id for no key update;

  if v_credit_note is not null then
    select total_amount, coalesce(invoice_number, 'draft ' || id) into v_amount, v_number from invoices where id = v_credit_note;
    select coalesce(sum(amount), 0) into v_credited from credit_allocations where credit_note_id = v_credit_note;
    if v_credited > v_amount then
      raise exception 'Credit note % (%) would apply % in all, but its amount is %', v_credit_note, v_number, v_credited, v_amount
        using errcode = 'EM002';
    end if;
  end if;

  if v_invoice is not null then
    select total_amount, coalesce(invoice_number, 'draft ' || id) into v_amount, v_number from invoices where id = v_invoice;
    select coalesce(sum(amount), 0) into v_paid from payment_allocations where invoice_id = v_invoice;
    select coalesce(sum(amount), 0) into v_credited from credit_allocations where invoice_id = v_invoice;
    if v_paid + v_credited > v_amount then
      raise exception 'Invoice % (%) would have % applied (payments %, credit notes %), but its total is %',
        v_invoice, v_number, v_paid + v_credited, v_paid, v_credited, v_amount
        using errcode = 'EM003';
    end if;
  end if;
  return null;
end $$;

create constraint trigger payment_allocations_within_amounts
  after insert or update of payment_id, invoice_id, amount on payment_allocations
  deferrable initially deferred for each row execute function erp_allocations_within_amounts();
create constraint trigger credit_allocations_within_amounts
  after insert or update of credit_note_id, invoice_id, amount on credit_allocations
  deferrable initially deferred for each row execute function erp_allocations_within_amounts();
create constraint trigger payment_amount_covers_allocations
  after update of amount on payments
  deferrable initially deferred for each row execute function erp_allocations_within_amounts();
create constraint trigger invoice_total_covers_allocations
  after update of total_amount on invoices
  deferrable initially deferred for each row execute function erp_allocations_within_amounts();

create function erp_entry_balances() returns trigger language plpgsql as $$
declare
  v_entries integer[];
  v_entry integer;
  v_debit numeric(14,2);
  v_credit numeric(14,2);
begin
  if tg_table_name = 'ledger_entries' then
    v_entries := array[new.id];
  elsif tg_op = 'INSERT' then
    v_entries := array[new.entry_id];
  elsif tg_op = 'DELETE' then
    v_entries := array[old.entry_id];
  else
    v_entries := array[old.entry_id, new.entry_id];
  end if;
  -- Inserted lines only add what their own transaction balanced, and their foreign key holds a
  -- key-share lock on the entry until commit. Changing or removing lines must exclude every other
  -- writer of the entry, so it takes the entry's row lock (which the server's role, with no
  -- UPDATE on the ledger since 007, never needs).
  if tg_op <> 'INSERT' then
    perform 1 from ledger_entries where id = any(v_entries) order by id for update;
  end if;
  foreach v_entry in array v_entries loop
    continue when not exists (select 1 from ledger_entries where id = v_entry);  -- removed with its lines
    select coalesce(sum(debit), 0), coalesce(sum(credit), 0) into v_debit, v_credit from ledger_lines where entry_id = v_entry;
    if v_debit <> v_credit or v_debit = 0 then
      raise exception 'Journal entry % does not balance: debits % and credits % (they must be equal and above zero)', v_entry, v_debit, v_credit
        using errcode = 'EM004';
    end if;
  end loop;
  return null;
end $$;

create constraint trigger ledger_entry_balances
  after insert on ledger_entries
  deferrable initially deferred for each row execute function erp_entry_balances();
create constraint trigger ledger_lines_balance
  after insert or update or delete on ledger_lines
  deferrable initially deferred for each row execute function erp_entry_balances();
