-- Ad audiences: customers kept in step with a Meta Custom Audience. Portable SQL: the same migration runs on
-- PostgreSQL and H2.

-- An audience as Loyalflow syncs it. Its members come from one source: a segment (the segment's members, diffed
-- at every sync round) or journeys (campaigns whose setting adAudience names it, and "Sync to an ad audience"
-- steps). ACTIVE syncs; FLAGGED means Meta flagged the audience (operation_status 471): nothing is sent until an
-- administrator resumes it. The counters are what the status API, the dashboard and Prometheus show.
create table ad_audience (
    audience_key         bigint primary key,
    audience_id          varchar(64) not null unique,
    name                 varchar(200) not null,
    meta_audience_id     varchar(64) not null,
    segment_id           varchar(64),
    status               varchar(16) not null,
    created_at           timestamp with time zone not null,
    created_by           varchar(100) not null,
    -- the segment-event log position the last segment diff saw (a diff is needed only when the log moved)
    diffed_event_key     bigint,
    -- a full replace requested (POST .../replace) and not started yet
    replace_requested_at timestamp with time zone,
    -- the full replace in progress: Meta's session, the next batch's number, the last customer key sent
    replace_session_id   bigint,
    replace_batch_seq    integer,
    replace_after_key    bigint,
    replace_total        bigint,
    replace_started_at   timestamp with time zone,
    last_replaced_at     timestamp with time zone,
    members_sent         bigint not null default 0,
    removals             bigint not null default 0,
    batches              bigint not null default 0,
    last_batch_at        timestamp with time zone,
    last_batch_kind      varchar(16),
    last_batch_size      integer,
    errors               bigint not null default 0,
    last_error_at        timestamp with time zone,
    last_error           varchar(1000),
    flagged_at           timestamp with time zone,
    flagged_reason       varchar(1000)
);

-- One customer in one audience. wanted: the source wants them in; on_meta: Meta has them (as far as Loyalflow
-- sent); pending: wanted, consent or contact may differ from what Meta has, and the next round decides. The
-- hashes are those sent, so a removal names exactly what was added (also after the customer's address changed
-- or the customer was erased: an erased member keeps only these hashes until the removal went out, then goes).
-- revision guards "mark sent" against a change that arrived during the upload.
create table ad_audience_member (
    audience_key  bigint not null references ad_audience (audience_key),
    customer_key  bigint not null,
    wanted        boolean not null,
    on_meta       boolean not null default false,
    pending       boolean not null,
    erased        boolean not null default false,
    revision      integer not null,
    email_sha256  varchar(64),
    phone_sha256  varchar(64),
    changed_at    timestamp with time zone not null,
    sent_at       timestamp with time zone,
    primary key (audience_key, customer_key)
);
create index ad_audience_member_pending on ad_audience_member (audience_key, pending, customer_key);
create index ad_audience_member_customer on ad_audience_member (customer_key);

-- The segment module's members, for set-based readers (ad audiences diff a segment's members each round).
create view v_segment_member as
select segment_id, customer_key
from segment_membership
where left_at is null;
