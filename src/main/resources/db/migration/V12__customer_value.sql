-- The customer-value model (BG/NBD for purchases, Gamma-Gamma for order value): every fit attempt,
-- versioned, and the current predictions per customer.

create table clv_fit (
    fit_version        bigint primary key,
    -- FITTED, or INSUFFICIENT_DATA (too little history: nothing fitted, predictions unchanged)
    status             varchar(24) not null,
    reason             varchar(1000),
    calibration_end    date not null,
    horizon_weeks      double precision not null,
    started_at         timestamp with time zone not null,
    duration_ms        bigint not null,
    customers          integer not null,
    repeat_buyers      integer not null,
    bgnbd_r            double precision,
    bgnbd_alpha        double precision,
    bgnbd_a            double precision,
    bgnbd_b            double precision,
    -- standard errors as JSON ({"r": ..., "alpha": ...}); NaN written as null
    bgnbd_standard_errors varchar(1000),
    bgnbd_log_likelihood double precision,
    bgnbd_converged    boolean,
    bgnbd_convergence  varchar(1000),
    gg_p               double precision,
    gg_q               double precision,
    gg_v               double precision,
    gg_standard_errors varchar(1000),
    gg_log_likelihood  double precision,
    gg_converged       boolean,
    gg_convergence     varchar(1000),
    -- repeat buyers the spend model was fitted on: those whose repeat purchases had a positive mean value
    gg_customers       integer,
    scored             integer
);

-- Predictions of the latest FITTED version for every customer with an order up to its calibration end.
-- Written in bulk with keys just read from customer: no foreign key to it, as the segment tables (V7).
create table customer_value (
    customer_key          bigint primary key,
    fit_version           bigint not null references clv_fit (fit_version),
    expected_purchases    double precision not null,
    probability_alive     double precision not null,
    expected_order_value  double precision not null,
    predicted_value       double precision not null,
    value_percentile      double precision not null
);
create index customer_value_fit on customer_value (fit_version);

-- At most one fit at a time across the cluster: a node claims the row, and releases it when done.
-- A claim older than loyalflow.clv.stale-fit-after is taken as dead (its node stopped).
create table clv_fit_claim (
    model         varchar(32) primary key,
    running_id    varchar(36),
    running_since timestamp with time zone
);
insert into clv_fit_claim (model) values ('clv');
