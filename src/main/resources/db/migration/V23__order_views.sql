-- The order module's tables are its own; other modules read orders through these views, never by naming
-- the tables. Plain views, inlined by PostgreSQL and H2 into the statement that reads them. Portable SQL.

-- Orders without their fingerprints: read by segment (purchase features), clv (transaction history) and
-- recommendation (best sellers).
create view v_customer_order as
select order_id, customer_key, placed_at, amount, currency
from customer_order;

-- Order lines: read by recommendation (best sellers among the customer's categories).
create view v_customer_order_item as
select order_id, line_no, sku, quantity, unit_price, category
from customer_order_item;
