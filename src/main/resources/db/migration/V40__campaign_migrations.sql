-- Which campaign asked for which of the engine's migration batches, and what it asked for. The progress of a
-- migration is the engine's own (its batch, batch jobs, job log and historic batch); this row only links the
-- batch to the campaign, so the campaign can list its migrations, report on one and refuse a second while one runs.
create table campaign_migration (
    batch_id              varchar(64) primary key,
    campaign_key          varchar(64) not null references campaign (campaign_key),
    source_definition_id  varchar(64) not null,
    target_definition_id  varchar(64) not null,
    update_timers         boolean not null,
    journeys              integer not null,
    requested_by          varchar(255) not null,
    requested_at          timestamp with time zone not null
);

create index campaign_migration_campaign on campaign_migration (campaign_key, requested_at);
