-- The CDNOW demo's bookkeeping (module demo): one row, written at its first load, so that a restart neither
-- moves the data in time again nor repeats what is done. No personal data: counts only.
create table demo_state (
    demo_key        varchar(16) primary key,
    -- days added to every CDNOW date, fixed at the first load (its last purchase day became that day's yesterday)
    shift_days      integer not null,
    -- customers of the CDNOW log loaded (its first ones; 23,570 is all)
    customers       integer not null,
    -- LOADING, READY or FAILED; step: the last step begun
    state           varchar(16) not null,
    step            varchar(32),
    orders          integer not null default 0,
    contacts        integer not null default 0,
    email_consented integer not null default 0,
    sms_consented   integer not null default 0,
    started_at      timestamp with time zone not null,
    ready_at        timestamp with time zone,
    error           varchar(1000),
    -- what the engagement simulator posted, in total
    sim_opens       bigint not null default 0,
    sim_clicks      bigint not null default 0,
    sim_bounces     bigint not null default 0,
    sim_orders      bigint not null default 0
);
