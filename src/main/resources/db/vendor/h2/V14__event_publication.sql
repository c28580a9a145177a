-- Durable events (Spring Modulith's event publication registry, 1.4): see the PostgreSQL variant. Schema as
-- the library's schema-h2.sql (1.4.4), except serialized_event: the library's 4,000 characters do not hold
-- the orders of one import chunk (about 75 characters an order, 1,000 orders a chunk).
create table if not exists event_publication
(
  id               uuid not null,
  completion_date  timestamp(9) with time zone,
  event_type       varchar(512) not null,
  listener_id      varchar(512) not null,
  publication_date timestamp(9) with time zone not null,
  serialized_event varchar(1000000) not null,
  primary key (id)
);
create index if not exists event_publication_by_listener_id_and_serialized_event_idx
    on event_publication (listener_id, serialized_event);
create index if not exists event_publication_by_completion_date_idx on event_publication (completion_date);

-- Which fact each journey (or follow-up scenario) has already received: see the PostgreSQL variant.
create table journey_receipt (
    process_instance_id varchar(64) not null,
    fact                varchar(200) not null,
    received_at         timestamp with time zone not null,
    primary key (process_instance_id, fact)
);
