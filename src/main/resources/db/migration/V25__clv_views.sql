-- The clv module's tables are its own; other modules read predictions through this view, never by naming
-- the tables. A plain view, inlined by PostgreSQL and H2. Portable SQL.

-- The latest fitted model's prediction per customer: read by segment (conditions, estimates, the
-- predictive best-customer segment of a refresh).
create view v_customer_value as
select customer_key, expected_purchases, probability_alive, expected_order_value, predicted_value,
       value_percentile
from customer_value;
