-- Dynamic segments (condition trees over features and profile attributes), and the features of every
-- customer as of the last refresh, which their conditions and estimates query.

create table segment_definition (
    segment_id  varchar(64) primary key,
    name        varchar(200) not null,
    -- either a condition tree (JSON) or the key of a DMN decision whose output "member" decides
    conditions  varchar(16000),
    decision_key varchar(255),
    created_at  timestamp with time zone not null,
    updated_at  timestamp with time zone not null
);

create table customer_features (
    customer_key          bigint primary key references customer (customer_key),
    orders                bigint not null,
    orders_12m            bigint not null,
    total_spend           numeric(19, 4) not null,
    spend_12m             numeric(19, 4) not null,
    average_order_value   numeric(19, 4),
    last_order_date       date,
    first_order_date      date,
    days_since_last_order integer,
    spend_percentile      double precision,
    recent_buyer          boolean not null,
    tier                  varchar(32),
    computed_at           timestamp with time zone not null
);
