-- Product categories on order lines, for product recommendations (top sellers among the categories a
-- customer bought). Portable SQL: the same migration runs on PostgreSQL and H2.

-- The category of the product in the shop's catalogue, as the shop sends it; null when it did not say
-- (orders recorded before categories existed, or a shop that has none).
alter table customer_order_item add column category varchar(100);

-- Top sellers read the orders of a recent window (e.g. the last 90 days) across all customers;
-- customer_order_customer leads with the customer, so the window needs an index of its own.
create index customer_order_placed on customer_order (placed_at);
