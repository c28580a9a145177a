-- The customer module's tables are its own; other modules read customers through these views (or the
-- module's Java API), never by naming the tables. Plain views: PostgreSQL and H2 inline them into the
-- statement that reads them, so a set-based pass joining them costs what joining the tables did.
-- Portable SQL: the same migration runs on PostgreSQL and H2.

-- Keys, external id (null once erased) and the zones days are counted in; no contact data. Read by
-- order, segment (features, members, events), clv (order history per customer), journey (segment-event
-- entry) and messaging (deliveries by customer id).
create view v_customer as
select customer_key, customer_id, locale, time_zone, phone_time_zone
from customer;

-- The profile with contact data, for the two readers that need it: messaging's send gate (address,
-- names for tokens) and segment's condition trees and estimates (profile fields, reachability).
create view v_customer_contact as
select customer_key, customer_id, email, phone, first_name, last_name, locale, time_zone, phone_time_zone,
       attributes
from customer;

-- The current consent per customer and channel (EMAIL / SMS as channel keys 'email', 'sms').
create view v_customer_consent as
select customer_key, channel, status
from customer_consent;

-- The referral program's statistics per customer (message tokens, segment conditions).
create view v_customer_referral as
select customer_key, activity, successful_referrals, share_url, extended_revenue
from customer_referral;
