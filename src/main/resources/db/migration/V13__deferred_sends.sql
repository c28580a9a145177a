-- Deferred sends wait at their send step: the execution waiting there, and the moment a delivery was
-- claimed for sending (what the frequency cap counts from). Portable SQL: runs on PostgreSQL and H2.

-- The engine execution waiting at the send task for this DEFERRED delivery; null when none waits (the
-- delivery is not deferred, or its resumption has been handed to the job executor).
alter table delivery add column waiting_execution_id varchar(64);

-- When the delivery was claimed for sending: a message deferred for days counts toward the customer's cap
-- from when it goes out, not from when it was first tried.
alter table delivery add column claimed_at timestamp with time zone;
update delivery set claimed_at = created_at where counted;
create index delivery_customer_claimed on delivery (customer_key, channel, claimed_at);

-- The deferred-sends sweep finds the due ones among all deliveries.
create index delivery_deferred_due on delivery (status, retry_at);

-- Deliveries deferred before send steps waited for their window: their journeys took the DEFERRED branch of
-- the model (or ended) and tried again, if at all, as a new delivery. None of them will be sent.
update delivery set status = 'CANCELLED',
    error = 'deferred before send steps waited for their window; the journey went on without this message'
  where status = 'DEFERRED';
