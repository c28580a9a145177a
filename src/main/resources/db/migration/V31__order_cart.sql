-- The shop's cart an order was placed from (optional; module cart closes that cart as converted). No index:
-- nothing looks orders up by cart, the cart module hears of them through OrdersRecorded.
alter table customer_order add column cart_id varchar(100);
