-- 002_finance: credit-note applications, and the balance views every finance rule and report
-- reads, so "open amount" and "unapplied credit" mean one thing everywhere.

-- addition: how much of a posted credit note reduced which invoice (payments use payment_allocations).
create table credit_allocations (
  id              integer generated always as identity primary key,
  credit_note_id  integer not null references invoices(id) on delete restrict,
  invoice_id      integer not null references invoices(id) on delete restrict,
  amount          numeric(14,2) not null check (amount > 0),
  created_at      timestamptz not null default now(),
  check (credit_note_id <> invoice_id)
);
create index credit_allocations_credit_note_id_idx on credit_allocations(credit_note_id);
create index credit_allocations_invoice_id_idx on credit_allocations(invoice_id);

-- addition: a discount fraction on invoice lines copied from discounted order lines.
alter table invoice_lines add column discount numeric(5,4) not null default 0 check (discount >= 0 and discount < 1);

-- Open amount of each invoice (kind = 'invoice'): total − payments applied − credit notes applied.
create view invoice_balances as
select i.id as invoice_id, i.customer_id, i.invoice_number, i.status, i.issue_date, i.due_date, i.total_amount,
       coalesce(pa.amount, 0)::numeric(14,2) as paid,
       coalesce(ca.amount, 0)::numeric(14,2) as credited,
       (i.total_amount - coalesce(pa.amount, 0) - coalesce(ca.amount, 0))::numeric(14,2) as open_amount
from invoices i
left join (select invoice_id, sum(amount) as amount from payment_allocations group by invoice_id) pa on pa.invoice_id = i.id
left join (select invoice_id, sum(amount) as amount from credit_allocations group by invoice_id) ca on ca.invoice_id = i.id
where i.kind = 'invoice';

-- Money a customer has paid or been credited that is not yet applied to any invoice.
create view unapplied_credits as
select 'payment'::text as source, p.id as source_id, p.customer_id, p.received_at as credit_date,
       (p.amount - coalesce(a.amount, 0))::numeric(14,2) as unapplied
from payments p
left join (select payment_id, sum(amount) as amount from payment_allocations group by payment_id) a on a.payment_id = p.id
union all
select 'credit_note', c.id, c.customer_id, c.issue_date,
       (c.total_amount - coalesce(a.amount, 0))::numeric(14,2)
from invoices c
left join (select credit_note_id, sum(amount) as amount from credit_allocations group by credit_note_id) a on a.credit_note_id = c.id
where c.kind = 'credit_note' and c.status = 'posted';
