-- Carts journeys have not handled yet, oldest first; partial, so the many handled carts cost it nothing.
create index cart_pending on cart (pending_since) where pending_since is not null;
