-- Views for the campaign report (module report), declared by the owners of the tables they show: journey
-- (enrollments) and messaging (deliveries and their events). Plain views, inlined by PostgreSQL and H2 into
-- the report's statements. No personal data: no addresses, no rendered content. Portable SQL.

-- Journeys of campaigns: what entered them, when, and how they ended. entry_event_key is the segment event
-- that entered the customer (entry cause event:<key>), null for recurring, API and repaired entries.
create view v_campaign_enrollment as
select enrollment_key, campaign_key, customer_key, revision, process_instance_id, entry_cause,
       case when entry_cause like 'event:%' then cast(substring(entry_cause, 7) as bigint) end as entry_event_key,
       entered_at, exited_at, exit_outcome
from campaign_enrollment;

-- Deliveries without address, content and provider ids: step, channel, gate verdict, status, engagement counts.
create view v_delivery as
select delivery_id, delivery_seq, process_instance_id, activity_id, campaign, customer_key, channel, test,
       gate_decision, status, created_at, sent_at, first_opened_at, opens, machine_opens, first_clicked_at, clicks
from delivery;

-- What happened to a delivery after the send (provider statuses, opens, clicks, unsubscribes), without details.
create view v_delivery_event as
select event_key, delivery_id, kind, occurred_at
from delivery_event;

-- The report reads a campaign's journeys by entry time (deliveries by journey: delivery_step).
create index campaign_enrollment_entered on campaign_enrollment (campaign_key, entered_at);
