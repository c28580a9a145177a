-- Which campaign-entry run is entering a campaign now: renewed by every chunk of that run, so a
-- later run leaves the campaign to it, and takes over once the hold has gone silent.
create table campaign_entry_run (
    campaign_key    varchar(64) primary key references campaign (campaign_key),
    run_id          varchar(64),
    heartbeat_at    timestamp with time zone not null
);
