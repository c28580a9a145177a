-- Experiments: every A/B split step a journey of a campaign reaches is one, keyed by the step's
-- experiment key. Created when the first journey reaches the split, its weights refreshed when a
-- journey brings others; its settings (metric, minimum sample, threshold, ...) refreshed from the
-- campaign by every review. The winner decision is kept here with the figures it was made on.
create table experiment (
    experiment_key      varchar(100) primary key,
    campaign_key        varchar(64) not null,
    step_id             varchar(255) not null,
    step_name           varchar(255) not null,
    -- the weights as the campaign (or the model) gives them, e.g. A:45, B:45, CONTROL:10
    arms                varchar(500) not null,
    -- the holdout arm's name when the weights have it, else null
    control_arm         varchar(40),
    metric              varchar(16) not null,
    min_sample          integer not null,
    threshold           double precision not null,
    apply_winner        boolean not null,
    -- how long it runs from its start (ISO-8601), null for no end
    run_window          varchar(40),
    started_at          timestamp with time zone not null,
    refreshed_at        timestamp with time zone not null,
    reviewed_at         timestamp with time zone,
    -- the winner rule's looks done: one per milestone of the minimum sample (1x, 2x, 4x, ...)
    looks_done          integer not null default 0,
    winner_arm          varchar(40),
    decided_at          timestamp with time zone,
    -- the figures per arm the decision was made on (JSON)
    decision_figures    varchar(20000),
    winner_applied      boolean not null default false,
    undone_at           timestamp with time zone,
    undone_by           varchar(255)
);
create index experiment_by_campaign on experiment (campaign_key);
