-- Campaigns: a BPMN template plus settings. Settings are kept as immutable revisions, so journeys
-- keep the settings they entered with while the campaign is changed for new entries.
create table campaign (
    campaign_key    varchar(64) primary key,
    name            varchar(200) not null,
    template        varchar(255) not null,
    state           varchar(16) not null,
    revision        integer not null,
    created_at      timestamp with time zone not null,
    updated_at      timestamp with time zone not null,
    activated_at    timestamp with time zone,
    -- segment events after this one can trigger entries (set at the first activation)
    events_after    bigint,
    last_recurring_at timestamp with time zone,
    version         integer not null
);

create table campaign_revision (
    campaign_key    varchar(64) not null references campaign (campaign_key),
    revision        integer not null,
    settings        varchar(100000) not null,
    created_at      timestamp with time zone not null,
    primary key (campaign_key, revision)
);

-- One row per (campaign, customer): the lock that makes the re-entry policy atomic, and the
-- customer's current journey in the campaign.
create table campaign_participant (
    campaign_key    varchar(64) not null references campaign (campaign_key),
    customer_key    bigint not null,
    active_enrollment bigint,
    entries         integer not null,
    last_entered_at timestamp with time zone,
    last_exited_at  timestamp with time zone,
    primary key (campaign_key, customer_key)
);

-- enrollment keys are drawn before the journey starts, so the journey carries its own
create sequence campaign_enrollment_seq;
create table campaign_enrollment (
    enrollment_key  bigint primary key,
    campaign_key    varchar(64) not null references campaign (campaign_key),
    customer_key    bigint not null,
    revision        integer not null,
    process_instance_id varchar(64) not null,
    business_key    varchar(255) not null,
    idempotency_key varchar(100),
    entry_cause     varchar(140) not null,
    entered_at      timestamp with time zone not null,
    exited_at       timestamp with time zone,
    exit_outcome    varchar(32)
);
create unique index campaign_enrollment_idempotency on campaign_enrollment (campaign_key, idempotency_key);
create index campaign_enrollment_customer on campaign_enrollment (customer_key, enrollment_key);
create unique index campaign_enrollment_instance on campaign_enrollment (process_instance_id);

-- Every segment event a campaign considered, and what came of it (ENROLLED, or why not), so each
-- event is consumed once per campaign even when several nodes consume at once.
create table campaign_trigger (
    campaign_key    varchar(64) not null references campaign (campaign_key),
    event_key       bigint not null,
    outcome         varchar(32) not null,
    enrollment_key  bigint,
    decided_at      timestamp with time zone not null,
    primary key (campaign_key, event_key)
);
