-- Retention (docs/operations.md, "Retention"): the storage-cleanup process finds the oldest expired rows of each
-- table by these columns, batch by batch, without reading the whole table. Portable SQL.
create index delivery_created on delivery (created_at);
create index provider_event_received on provider_event (received_at);
create index campaign_enrollment_exited on campaign_enrollment (exited_at);
create index segment_event_occurred on segment_event (occurred_at);
create index customer_event_received on customer_event (received_at);
create index campaign_trigger_event on campaign_trigger (event_key);
create index journey_receipt_received on journey_receipt (received_at);
