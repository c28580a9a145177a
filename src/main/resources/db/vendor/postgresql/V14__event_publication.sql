-- Durable events (Spring Modulith's event publication registry, 1.4): a fact that drives journeys (orders
-- recorded, a referral, an erasure, segment events written on an order, a journey waiting for a customer
-- event) is stored here, one row per listener, in the transaction that stores the fact. A row is deleted
-- when its listener has succeeded (completion mode DELETE); what stays is work not yet done, which is
-- resubmitted at start and on a schedule. Schema as the library's schema-postgresql.sql (1.4.4).
create table if not exists event_publication
(
  id               uuid not null,
  listener_id      text not null,
  event_type       text not null,
  serialized_event text not null,
  publication_date timestamp with time zone not null,
  completion_date  timestamp with time zone,
  primary key (id)
);
create index if not exists event_publication_serialized_event_hash_idx on event_publication using hash(serialized_event);
create index if not exists event_publication_by_completion_date_idx on event_publication (completion_date);

-- Which fact each journey (or follow-up scenario) has already received: a resubmitted event, or two nodes
-- delivering the same one, finds its row and changes nothing. fact is e.g. order:<order id>,
-- referral:<successful referrals>@<stated at>, customer-event:<event key>.
create table journey_receipt (
    process_instance_id varchar(64) not null,
    fact                varchar(200) not null,
    received_at         timestamp with time zone not null,
    primary key (process_instance_id, fact)
);
