-- Referral program statistics (Mention Me's "Extended Customer Revenue" activity). Portable SQL: the
-- same migration runs on PostgreSQL and H2.

-- A customer's latest referral statistics as the referral program stated them; a statement older than
-- the stored one (stated_at) does not replace it. Deleted with the customer's personal data on erasure.
create table customer_referral (
    customer_key         bigint primary key references customer (customer_key),
    -- ACTIVE or DORMANT (the program's ECR time period segment)
    activity             varchar(16) not null,
    successful_referrals integer not null,
    share_url            varchar(2048),
    -- the customer's spend plus the spend of the people they referred, in the shop currency
    extended_revenue     numeric(19, 4) not null,
    stated_at            timestamp with time zone not null,
    updated_at           timestamp with time zone not null,
    constraint customer_referral_activity check (activity in ('ACTIVE', 'DORMANT')),
    constraint customer_referral_count check (successful_referrals >= 0),
    constraint customer_referral_revenue check (extended_revenue >= 0)
);

-- Customer ids that were erased, as SHA-256 hashes (hex) of the id, never the id itself: the referral
-- program, which may keep reporting about a customer after the erasure, must not bring them back
-- (PUT /api/customers/{id}/referral answers 404 while no live customer has that id). Profiles and
-- orders are not affected: with them the id starts a new customer, as before.
create table erased_customer_id (
    id_hash   char(64) primary key,
    erased_at timestamp with time zone not null
);
