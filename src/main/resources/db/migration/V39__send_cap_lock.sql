-- The frequency cap is exact across nodes and job threads: a send that passed the gate takes this row's lock
-- (customer, channel) in the transaction that claims its delivery, counts the customer's recent sends again
-- under the lock, and only then commits the claim. One row per customer and channel that was ever sent to;
-- it holds keys and a time only (no address, no content). Portable SQL: runs on PostgreSQL and H2.
create table send_cap_lock (
    customer_key bigint not null,
    channel varchar(8) not null,
    -- when a send last claimed under this lock (what the row was updated with to take its lock)
    last_claim_at timestamp with time zone not null,
    primary key (customer_key, channel)
);
