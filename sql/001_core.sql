-- 001_core: every table of the seed schema (shared/seed/000_*.txt) with every column it names,
-- plus the additions the tools need; each addition is marked "addition:" with its reason.
-- Ids are identity keys, business records are protected by ON DELETE RESTRICT.

create extension if not exists vector;

-- Accent- and case-folding used by name searches; translate() keeps it IMMUTABLE and
-- extension-free so it runs the same on PGlite and PostgreSQL.
create or replace function erp_fold(t text) returns text
language sql immutable parallel safe as $$
  select lower(translate(coalesce(t, ''),
    'ÀÁÂÃÄÅĀĂĄàáâãäåāăąÇĆĈĊČçćĉċčĎĐďđÈÉÊËĒĔĖĘĚèéêëēĕėęěĜĞĠĢĝğġģĤĦĥħÌÍÎÏĨĪĬĮİìíîïĩīĭįıĴĵĶķĹĻĽĿŁĺļľŀłÑŃŅŇñńņňÒÓÔÕÖØŌŎŐòóôõöøōŏőŔŖŘŕŗřŚŜŞŠśŝşšŢŤŦţťŧÙÚÛÜŨŪŬŮŰŲùúûüũūŭůűųŴŵÝŸŶýÿŷŹŻŽźżž',
    'AAAAAAAAAaaaaaaaaaCCCCCcccccDDddEEEEEEEEEeeeeeeeeeGGGGggggHHhhIIIIIIIIIiiiiiiiiiJjKkLLLLLlllllNNNNnnnnOOOOOOOOOoooooooooRRRrrrSSSSssssTTTtttUUUUUUUUUUuuuuuuuuuuWwYYYyyyZZZzzz'))
$$;

-- ── Users ───────────────────────────────────────────────────────────────────
create table users (
  id          integer generated always as identity primary key,
  name        text not null check (length(trim(name)) > 0),
  email       text not null unique check (email = lower(email) and email like '%_@_%'),
  role        text not null check (role in ('admin', 'sales', 'finance', 'inventory', 'analyst', 'viewer')),
  created_at  timestamptz not null default now()
);

-- ── Router / orchestration ──────────────────────────────────────────────────
create table conversations (
  id          integer generated always as identity primary key,
  user_id     integer references users(id) on delete restrict,
  started_at  timestamptz not null default now()
);
create index conversations_user_id_idx on conversations(user_id);

create table messages (
  id              integer generated always as identity primary key,
  conversation_id integer not null references conversations(id) on delete cascade,
  sender          text not null check (length(sender) > 0),
  content         text not null,
  created_at      timestamptz not null default now()
);
create index messages_conversation_id_idx on messages(conversation_id, id);

create table approvals (
  id            integer generated always as identity primary key,
  module        text not null,
  action        text not null,                 -- addition: the tool to run once approved
  payload_json  jsonb not null,
  payload_hash  text not null,                 -- addition: sha256 of the payload, so it cannot change under an approval
  status        text not null default 'pending'
                check (status in ('pending', 'approved', 'rejected', 'executed', 'failed', 'expired')),
  requested_by  integer not null references users(id) on delete restrict,
  decided_by    integer references users(id) on delete restrict,
  reason        text,                          -- addition: the approver's reason
  result_json   jsonb,                         -- addition: what the approved action returned
  created_at    timestamptz not null default now(),
  decided_at    timestamptz,
  check (decided_by is null or decided_by <> requested_by)
);
create index approvals_status_idx on approvals(status, id);
create index approvals_requested_by_idx on approvals(requested_by);
create index approvals_decided_by_idx on approvals(decided_by);

-- The audit log, hash-chained: hash = sha256(prev_hash|id|conversation_id|content_digest), where the
-- server computes content_digest over the other columns (src/domain/platform/audit.ts) and
-- append_tool_call (now sql/007) computes the chain hash.
create table tool_calls (
  id              integer generated always as identity primary key,          -- addition
  agent           text not null,                                             -- the toolset
  tool_name       text not null,
  input_json      jsonb not null,
  output_json     jsonb,
  status          text not null check (status in ('ok', 'error', 'invalid', 'denied')),  -- addition
  error_code      text,                                                      -- addition
  duration_ms     integer not null check (duration_ms >= 0),                 -- addition
  user_id         integer references users(id) on delete restrict,           -- addition
  conversation_id integer references conversations(id) on delete set null,   -- addition
  approval_id     integer references approvals(id) on delete restrict,       -- addition
  prev_hash       text not null,                                             -- addition
  hash            text not null,                                             -- addition
  created_at      timestamptz not null default now()
);
create index tool_calls_tool_name_idx on tool_calls(tool_name, id);
create index tool_calls_user_id_idx on tool_calls(user_id, id);
create index tool_calls_status_idx on tool_calls(status, id);
create index tool_calls_created_at_idx on tool_calls(created_at);
create index tool_calls_conversation_id_idx on tool_calls(conversation_id);
create index tool_calls_approval_id_idx on tool_calls(approval_id);

-- ── Sales & CRM ─────────────────────────────────────────────────────────────
create table customers (
  id          integer generated always as identity primary key,
  name        text not null check (length(trim(name)) > 0),
  email       text check (email is null or email like '%_@_%'),
  phone       text,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()                          -- addition
);
create index customers_name_fold_idx on customers(erp_fold(name), id);
create index customers_email_idx on customers(lower(email));

create table customer_kv (
  customer_id integer not null references customers(id) on delete restrict,
  key         text not null check (length(key) > 0),
  value       text not null,
  updated_at  timestamptz not null default now(),                         -- addition
  primary key (customer_id, key)
);

create table leads (
  id            integer generated always as identity primary key,
  customer_name text not null check (length(trim(customer_name)) > 0),
  contact_email text,
  message       text not null default '',
  score         numeric(5,4) check (score between 0 and 1),
  status        text not null default 'new' check (status in ('new', 'contacted', 'qualified', 'won', 'lost')),
  customer_id   integer references customers(id) on delete restrict,      -- addition: set by convert_lead
  created_at    timestamptz not null default now()
);
create index leads_status_idx on leads(status, id);
create index leads_customer_id_idx on leads(customer_id);

create table products (
  id          integer generated always as identity primary key,
  sku         text not null unique check (length(trim(sku)) > 0),
  name        text not null check (length(trim(name)) > 0),
  price       numeric(14,2) not null check (price >= 0),
  cost        numeric(14,2) not null default 0 check (cost >= 0),        -- addition: unit cost for COGS and valuation
  description text,
  active      boolean not null default true,                             -- addition: retire without deleting
  created_at  timestamptz not null default now(),                        -- addition
  updated_at  timestamptz not null default now()                         -- addition
);
create index products_name_fold_idx on products(erp_fold(name), id);

create table orders (
  id            integer generated always as identity primary key,
  customer_id   integer not null references customers(id) on delete restrict,
  total         numeric(14,2) not null default 0 check (total >= 0),
  status        text not null default 'draft' check (status in ('draft', 'confirmed', 'fulfilled', 'cancelled')),
  created_at    timestamptz not null default now(),
  confirmed_at  timestamptz,                                             -- addition
  fulfilled_at  timestamptz,                                             -- addition
  cancelled_at  timestamptz,                                             -- addition
  cancel_reason text                                                     -- addition
);
create index orders_customer_id_idx on orders(customer_id, id);
create index orders_status_idx on orders(status, id);
create index orders_created_at_idx on orders(created_at);

create table order_items (
  id          integer generated always as identity primary key,          -- addition
  order_id    integer not null references orders(id) on delete restrict,
  product_id  integer not null references products(id) on delete restrict,
  quantity    integer not null check (quantity > 0),
  price       numeric(14,2) not null check (price >= 0),                 -- unit price kept from order time
  discount    numeric(5,4) not null default 0 check (discount >= 0 and discount < 1),  -- addition: fraction
  line_total  numeric(14,2) not null check (line_total >= 0)             -- addition: round_half_up(qty × price × (1 − discount), 2)
);
create index order_items_order_id_idx on order_items(order_id);
create index order_items_product_id_idx on order_items(product_id);

create table tickets (
  id          integer generated always as identity primary key,          -- addition
  customer_id integer not null references customers(id) on delete restrict,
  subject     text not null check (length(trim(subject)) > 0),
  body        text not null default '',
  status      text not null default 'open' check (status in ('open', 'pending', 'resolved', 'closed')),
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()                         -- addition
);
create index tickets_customer_id_idx on tickets(customer_id, id);
create index tickets_status_idx on tickets(status, id);

-- ── Finance ─────────────────────────────────────────────────────────────────
create table chart_of_accounts (
  account     text primary key check (account ~ '^[0-9]{4}$'),
  description text not null,
  type        text not null check (type in ('asset', 'liability', 'equity', 'revenue', 'expense'))  -- addition
);

create table ledger_entries (
  id                integer generated always as identity primary key,
  entry_date        date not null,
  memo              text not null default '',                            -- addition
  source            text not null default 'manual'
                    check (source in ('manual', 'invoice', 'credit_note', 'payment', 'sale', 'purchase', 'adjustment', 'opening', 'reversal')),  -- addition
  source_id         integer,                                             -- addition: id of the invoice/payment/order behind it
  reverses_entry_id integer unique references ledger_entries(id) on delete restrict,  -- addition
  created_by        integer references users(id) on delete restrict,     -- addition
  created_at        timestamptz not null default now()
);
create index ledger_entries_entry_date_idx on ledger_entries(entry_date);
create index ledger_entries_source_idx on ledger_entries(source, source_id);
create index ledger_entries_created_by_idx on ledger_entries(created_by);

create table ledger_lines (
  id        integer generated always as identity primary key,            -- addition
  entry_id  integer not null references ledger_entries(id) on delete restrict,
  account   text not null references chart_of_accounts(account) on delete restrict,
  debit     numeric(14,2) not null default 0 check (debit >= 0),
  credit    numeric(14,2) not null default 0 check (credit >= 0),
  check ((debit > 0) <> (credit > 0))
);
create index ledger_lines_entry_id_idx on ledger_lines(entry_id);
create index ledger_lines_account_idx on ledger_lines(account);

create table invoices (
  id                  integer generated always as identity primary key,
  customer_id         integer not null references customers(id) on delete restrict,
  invoice_number      text unique,                                       -- null while draft
  issue_date          date not null default current_date,
  due_date            date not null default (current_date + 30),
  total_amount        numeric(14,2) not null default 0 check (total_amount >= 0),
  status              text not null default 'draft' check (status in ('draft', 'posted', 'paid', 'void')),
  kind                text not null default 'invoice' check (kind in ('invoice', 'credit_note')),  -- addition
  credited_invoice_id integer references invoices(id) on delete restrict, -- addition: the invoice a credit note corrects
  subtotal            numeric(14,2) not null default 0 check (subtotal >= 0),  -- addition
  tax_rate            numeric(6,4) not null default 0 check (tax_rate >= 0 and tax_rate < 1),  -- addition
  tax_amount          numeric(14,2) not null default 0 check (tax_amount >= 0),  -- addition
  reason              text,                                              -- addition: why a credit note was issued
  ledger_entry_id     integer references ledger_entries(id) on delete restrict,  -- addition
  posted_at           timestamptz,                                       -- addition
  created_at          timestamptz not null default now(),                -- addition
  check (due_date >= issue_date),
  check ((kind = 'credit_note') = (credited_invoice_id is not null)),
  check ((status = 'draft' or status = 'void') = (invoice_number is null))
);
create index invoices_customer_id_idx on invoices(customer_id, id);
create index invoices_status_idx on invoices(status, due_date);
create index invoices_credited_invoice_id_idx on invoices(credited_invoice_id);
create index invoices_ledger_entry_id_idx on invoices(ledger_entry_id);

create table invoice_lines (
  id          integer generated always as identity primary key,          -- addition
  invoice_id  integer not null references invoices(id) on delete restrict,
  description text not null check (length(trim(description)) > 0),
  quantity    numeric(14,3) not null check (quantity > 0),
  unit_price  numeric(14,2) not null check (unit_price >= 0),
  line_total  numeric(14,2) not null check (line_total >= 0),            -- addition: round_half_up(quantity × unit_price, 2)
  tax_amount  numeric(14,2) not null default 0 check (tax_amount >= 0),  -- addition: half-up per line
  order_id    integer references orders(id) on delete restrict,          -- addition: the order a line was copied from
  product_id  integer references products(id) on delete restrict        -- addition
);
create index invoice_lines_invoice_id_idx on invoice_lines(invoice_id);
create index invoice_lines_order_id_idx on invoice_lines(order_id);
create index invoice_lines_product_id_idx on invoice_lines(product_id);

create table invoice_orders (
  invoice_id  integer not null references invoices(id) on delete restrict,
  order_id    integer not null unique references orders(id) on delete restrict,  -- an order is invoiced at most once
  primary key (invoice_id, order_id)
);

create table payments (
  id              integer generated always as identity primary key,
  customer_id     integer not null references customers(id) on delete restrict,
  amount          numeric(14,2) not null check (amount > 0),
  method          text not null check (length(trim(method)) > 0),
  received_at     date not null default current_date,
  reference       text,                                                  -- addition
  ledger_entry_id integer references ledger_entries(id) on delete restrict,  -- addition
  created_at      timestamptz not null default now()                     -- addition
);
create index payments_customer_id_idx on payments(customer_id, id);
create index payments_ledger_entry_id_idx on payments(ledger_entry_id);

create table payment_allocations (
  id          integer generated always as identity primary key,          -- addition
  payment_id  integer not null references payments(id) on delete restrict,
  invoice_id  integer not null references invoices(id) on delete restrict,
  amount      numeric(14,2) not null check (amount > 0),
  created_at  timestamptz not null default now()                         -- addition
);
create index payment_allocations_payment_id_idx on payment_allocations(payment_id);
create index payment_allocations_invoice_id_idx on payment_allocations(invoice_id);

-- addition: gapless document numbers (INV-YYYY-NNNN, CN-YYYY-NNNN); the row is locked while numbering.
create table document_sequences (
  series      text not null,
  year        integer not null,
  last_value  integer not null default 0 check (last_value >= 0),
  primary key (series, year)
);

-- addition: company settings such as the lock date and approval thresholds.
create table settings (
  key         text primary key,
  value       text not null,
  updated_at  timestamptz not null default now()
);

-- ── Inventory & supply chain ────────────────────────────────────────────────
create table stock (
  product_id    integer primary key references products(id) on delete restrict,
  qty_on_hand   integer not null default 0 check (qty_on_hand >= 0),
  reserved_qty  integer not null default 0 check (reserved_qty >= 0),   -- addition: held by confirmed orders
  reorder_point integer not null default 0 check (reorder_point >= 0),
  updated_at    timestamptz not null default now(),                      -- addition
  check (reserved_qty <= qty_on_hand)
);

create table stock_movements (
  id          integer generated always as identity primary key,          -- addition
  product_id  integer not null references products(id) on delete restrict,
  change_qty  integer not null check (change_qty <> 0),
  reason      text not null check (reason in ('opening', 'purchase', 'sale', 'adjustment', 'write_off', 'return')),
  ref_id      integer,                                                   -- order id, receipt id, … depending on reason
  unit_cost   numeric(14,2) check (unit_cost >= 0),                      -- addition: cost the movement was valued at
  note        text,                                                      -- addition
  created_by  integer references users(id) on delete restrict,           -- addition
  created_at  timestamptz not null default now()
);
create index stock_movements_product_id_idx on stock_movements(product_id, id);
create index stock_movements_created_at_idx on stock_movements(created_at);
create index stock_movements_ref_idx on stock_movements(reason, ref_id);
create index stock_movements_created_by_idx on stock_movements(created_by);

create table suppliers (
  id          integer generated always as identity primary key,
  name        text not null check (length(trim(name)) > 0),
  email       text check (email is null or email like '%_@_%'),
  phone       text,
  created_at  timestamptz not null default now()                         -- addition
);
create index suppliers_name_fold_idx on suppliers(erp_fold(name), id);

create table supplier_products (
  supplier_id     integer not null references suppliers(id) on delete restrict,
  product_id      integer not null references products(id) on delete restrict,
  supplier_sku    text,                                                  -- addition
  unit_cost       numeric(14,2) check (unit_cost >= 0),                  -- addition
  lead_time_days  integer check (lead_time_days >= 0),                   -- addition
  primary key (supplier_id, product_id)
);
create index supplier_products_product_id_idx on supplier_products(product_id);

-- ── RAG / ML ops ────────────────────────────────────────────────────────────
create table model_registry (
  id          integer generated always as identity primary key,          -- addition
  name        text not null,
  version     text not null,
  path        text,
  kind        text not null default 'embedding' check (kind in ('embedding', 'lead_scoring', 'forecast')),  -- addition
  dimensions  integer check (dimensions > 0),                            -- addition: embedding size
  metadata    jsonb not null default '{}',                               -- addition
  created_at  timestamptz not null default now(),
  unique (name, version)
);

create table documents (
  id            integer generated always as identity primary key,        -- addition
  module        text not null check (length(module) > 0),
  path          text not null unique,
  tags          text[] not null default '{}',
  title         text,                                                    -- addition
  content       text,                                                    -- addition: extracted text, served as a resource
  content_hash  text,                                                    -- addition: skip re-ingesting unchanged files
  model_id      integer references model_registry(id) on delete restrict,  -- addition: model that embedded its chunks
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()                       -- addition
);
create index documents_module_idx on documents(module);
create index documents_model_id_idx on documents(model_id);

create table ml_features_cache (
  entity_type   text not null,
  entity_id     integer not null,
  feature_json  jsonb not null,
  model_id      integer references model_registry(id) on delete restrict,  -- addition
  computed_at   timestamptz not null default now(),                      -- addition
  primary key (entity_type, entity_id)
);
create index ml_features_cache_model_id_idx on ml_features_cache(model_id);

-- ── Seed data: chart of accounts (TOOLS.md) and the first administrator ─────
insert into chart_of_accounts (account, description, type) values
  ('1000', 'Cash', 'asset'),
  ('1100', 'Accounts Receivable', 'asset'),
  ('1200', 'Inventory', 'asset'),
  ('2000', 'Accounts Payable', 'liability'),
  ('2100', 'Sales Tax Payable', 'liability'),
  ('3000', 'Owner''s Equity', 'equity'),
  ('3900', 'Retained Earnings', 'equity'),
  ('4000', 'Sales Revenue', 'revenue'),
  ('4900', 'Other Income', 'revenue'),
  ('5000', 'Cost of Goods Sold', 'expense'),
  ('6000', 'Operating Expenses', 'expense');

insert into users (name, email, role) values ('Administrator', 'admin@erp.local', 'admin');
