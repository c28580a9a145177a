-- Carts journeys have not handled yet, oldest first (H2 has no partial indexes).
create index cart_pending on cart (pending_since);
