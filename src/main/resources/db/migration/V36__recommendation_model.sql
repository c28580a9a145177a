-- The recommendation model (item-to-item from co-purchases, upsell, cross-sell timing), rebuilt by the nightly
-- recommendation-refresh process. Every refresh writes a new model version beside the one in use and then
-- publishes it in one update: readers never see a half-built model. Portable SQL: the same migration runs on
-- PostgreSQL and H2 (PostgreSQL makes the work tables unlogged: db/vendor/postgresql/V36_1).

-- Every refresh: BUILDING while it runs, PUBLISHED once readers may use it, FAILED when it stopped (its rows
-- are removed by the next refresh). Readers use the latest PUBLISHED version.
create table reco_model (
    model_version   bigint primary key,
    status          varchar(16) not null,
    started_at      timestamp with time zone not null,
    finished_at     timestamp with time zone,
    duration_ms     bigint,
    -- the orders the model learned from: placed in (history_from, history_to]
    history_from    timestamp with time zone not null,
    history_to      timestamp with time zone not null,
    orders          bigint,
    order_lines     bigint,
    customers       bigint,
    products        integer,
    pairs           bigint,
    timed_categories integer
);

-- At most one refresh at a time across the cluster: a node claims the row, and releases it when done. A claim
-- older than loyalflow.recommendations.stale-refresh-after is taken as dead (its node stopped).
create table reco_refresh_claim (
    model         varchar(32) primary key,
    running_id    varchar(36),
    running_since timestamp with time zone
);
insert into reco_refresh_claim (model) values ('recommendations');

-- The products of a model version: category, typical price and popularity (best sellers fill lists from here).
create table reco_product (
    model_version bigint not null,
    product_no    integer not null,
    sku           varchar(100) not null,
    category      varchar(100),
    -- revenue / units over the history
    price         numeric(19, 4),
    buyers        integer not null,
    orders        integer not null,
    -- units sold within loyalflow.recommendations.window before the refresh: the best-seller ranking
    recent_units  bigint not null,
    primary key (model_version, sku)
);
create unique index reco_product_number on reco_product (model_version, product_no);
create index reco_product_best on reco_product (model_version, recent_units, sku);
create index reco_product_category on reco_product (model_version, category, recent_units);

-- The model: for each product, its best neighbours of each kind (BOUGHT_TOGETHER, ALSO_BOUGHT, UPSELL), ranked.
create table reco_pair (
    model_version bigint not null,
    sku           varchar(100) not null,
    kind          varchar(16) not null,
    rank          smallint not null,
    other_sku     varchar(100) not null,
    score         double precision not null,
    -- customers (orders, for BOUGHT_TOGETHER) behind the score
    support       integer not null,
    primary key (model_version, sku, kind, rank)
);

-- Categories the same customers buy more often together than by chance (lift > 1).
create table reco_related_category (
    model_version  bigint not null,
    category       varchar(100) not null,
    other_category varchar(100) not null,
    customers      integer not null,
    lift           double precision not null,
    primary key (model_version, category, other_category)
);

-- Per category: the median time from a purchase in it to the customer's next purchase in a related category.
create table reco_category_timing (
    model_version  bigint not null,
    category       varchar(100) not null,
    observations   integer not null,
    median_seconds bigint not null,
    primary key (model_version, category)
);

-- Analysts' settings per category: a consumable category's products are recommended again to their buyers.
create table reco_category_setting (
    category    varchar(100) primary key,
    consumable  boolean not null,
    updated_at  timestamp with time zone not null,
    updated_by  varchar(100) not null
);

-- Work tables of a refresh, keyed by its version and emptied when it ends.
-- One row per order and product: who bought it when, in which category, how many for how much.
create table reco_work_basket (
    model_version bigint not null,
    customer_key  bigint not null,
    placed_at     timestamp with time zone not null,
    sku           varchar(100) not null,
    category      varchar(100),
    quantity      bigint not null,
    revenue       numeric(19, 4) not null
);
-- One row per customer and product (the customer's most recent products, capped): when first bought.
create table reco_work_item (
    model_version bigint not null,
    customer_key  bigint not null,
    sku           varchar(100) not null,
    first_at      timestamp with time zone not null
);
-- Pairs of products bought by the same customers (a < b), with how many bought each one first.
create table reco_work_pair (
    model_version bigint not null,
    a             integer not null,
    b             integer not null,
    customers     integer not null,
    a_first       integer not null,
    b_first       integer not null
);
-- Pairs of products in the same order (a < b).
create table reco_work_basket_pair (
    model_version bigint not null,
    a             varchar(100) not null,
    b             varchar(100) not null,
    orders        integer not null
);
-- One row per customer, order time and category.
create table reco_work_category_event (
    model_version bigint not null,
    customer_key  bigint not null,
    placed_at     timestamp with time zone not null,
    category      varchar(100) not null
);
-- One row per customer and category.
create table reco_work_customer_category (
    model_version bigint not null,
    customer_key  bigint not null,
    category      varchar(100) not null
);
-- One row per category: how many customers bought in it.
create table reco_work_category (
    model_version bigint not null,
    category      varchar(100) not null,
    customers     integer not null,
    primary key (model_version, category)
);
