-- The campaign report's pre-aggregated figures (module report): per campaign, UTC day of entry and process
-- definition, the same groups the report's live statements produce, recomputed as a whole per campaign in the
-- background (report_rollup_run says when). A report over whole days of entry sums these rows instead of
-- reading a million deliveries. Counts only: no customer. Portable SQL.

create table report_rollup_run (
    campaign_key  varchar(64) primary key,
    claimed_at    timestamp with time zone,
    computed_at   timestamp with time zone
);

create table report_enrollment_day (
    campaign_key  varchar(64) not null,
    entry_day     date not null,
    definition_id varchar(64),
    segment       varchar(100),
    exit_outcome  varchar(32),
    d             date not null,
    n             bigint not null,
    active        bigint not null
);
create index report_enrollment_day_key on report_enrollment_day (campaign_key, entry_day);

create table report_funnel_day (
    campaign_key  varchar(64) not null,
    entry_day     date not null,
    definition_id varchar(64),
    step          varchar(255),
    entered       bigint not null,
    waiting       bigint not null
);
create index report_funnel_day_key on report_funnel_day (campaign_key, entry_day);

create table report_message_day (
    campaign_key  varchar(64) not null,
    entry_day     date not null,
    definition_id varchar(64),
    activity_id   varchar(255),
    channel       varchar(16),
    status        varchar(24),
    gate_decision varchar(24),
    segment       varchar(100),
    n             bigint not null,
    human         bigint not null,
    machine       bigint not null,
    clicked       bigint not null
);
create index report_message_day_key on report_message_day (campaign_key, entry_day);

create table report_unsubscribe_day (
    campaign_key  varchar(64) not null,
    entry_day     date not null,
    definition_id varchar(64),
    activity_id   varchar(255),
    channel       varchar(16),
    n             bigint not null
);
create index report_unsubscribe_day_key on report_unsubscribe_day (campaign_key, entry_day);

create table report_send_open_day (
    campaign_key  varchar(64) not null,
    entry_day     date not null,
    definition_id varchar(64),
    sent_day      date,
    open_day      date,
    n             bigint not null
);
create index report_send_open_day_key on report_send_open_day (campaign_key, entry_day);

create table report_conversion_day (
    campaign_key  varchar(64) not null,
    entry_day     date not null,
    definition_id varchar(64),
    segment       varchar(100),
    d             date not null,
    orders        bigint not null,
    revenue       numeric(19, 4) not null,
    journeys      bigint not null
);
create index report_conversion_day_key on report_conversion_day (campaign_key, entry_day);
