-- 018: confirm_order's reservation is one statement, sent as the call's last before its audit row
-- and commit (issue 18). Stock rows are shared by every order of a product; locked at the call's
-- first round trip, a best seller's row was held across the server's turn and the next round trip,
-- and order-to-cash did no more at 16 clients than at one. Here the rows are locked (in product
-- order: no deadlocks), checked and reserved in one go, so the lock is held for the database's own
-- time on the final batch. A shortage raises ES001 with the same one-line message the server
-- wrote before, and the products that are short as JSON in DETAIL; the call rolls back whole.
-- The caller has already checked and locked the order (src/domain/sales/orders.ts).
create function erp_reserve_stock(p_order_id integer) returns void language plpgsql as $$
declare
  v_short jsonb;
  v_list text;
begin
  perform 1 from stock s
  where s.product_id in (select product_id from order_items where order_id = p_order_id)
  order by s.product_id for update;
  select jsonb_agg(jsonb_build_object('product_id', n.product_id, 'sku', p.sku, 'name', p.name,
           'needed', n.quantity, 'available', s.qty_on_hand - s.reserved_qty) order by n.product_id),
         string_agg(format('%s (%s): need %s, available %s', p.name, p.sku, n.quantity, s.qty_on_hand - s.reserved_qty),
           '; ' order by n.product_id)
    into v_short, v_list
  from (select product_id, sum(quantity)::int as quantity from order_items where order_id = p_order_id group by product_id) n
  join stock s on s.product_id = n.product_id join products p on p.id = n.product_id
  where s.qty_on_hand - s.reserved_qty < n.quantity;
  if v_short is not null then
    raise exception 'Order % cannot be confirmed, not enough stock of %', p_order_id, v_list
      using errcode = 'ES001', detail = jsonb_build_object('short', v_short)::text;
  end if;
  update stock s set reserved_qty = s.reserved_qty + n.quantity, updated_at = now()
  from (select product_id, sum(quantity)::int as quantity from order_items where order_id = p_order_id group by product_id) n
  where s.product_id = n.product_id;
end $$;
revoke execute on function erp_reserve_stock(integer) from public;
grant execute on function erp_reserve_stock(integer) to erp_app;
