-- Shop carts (module cart): one row per cart, its items as JSON text, so that an update from the shop (one per
-- click) is one statement. The row is also the journeys' outbox: every accepted change bumps version and sets
-- pending_since (when not set yet) in the same statement; journeys clear it when they have handled that version.
create table cart (
    cart_id          varchar(100) primary key,
    -- null while the cart is anonymous; set when the shop names the customer
    customer_key     bigint references customer (customer_key),
    -- ACTIVE, CHECKOUT, CLEARED or CONVERTED
    status           varchar(16) not null,
    -- the shop's time of the latest accepted change; a change that is not newer is ignored
    updated_at       timestamp with time zone not null,
    version          bigint not null,
    currency         char(3),
    -- JSON array of items (sku, name, quantity, unitPrice, category, productUrl, imageUrl); at most 200
    items            varchar(4000000) not null,
    -- lines in the cart, and their total (quantity times unit price)
    item_count       integer not null,
    total            numeric(19, 4) not null,
    cart_url         varchar(2000),
    -- the order that converted it, when known
    order_id         varchar(100),
    created_at       timestamp with time zone not null,
    -- when Loyalflow accepted the latest change
    changed_at       timestamp with time zone not null,
    -- set while journeys have not handled the latest version (the oldest unhandled change's time)
    pending_since    timestamp with time zone,
    handled_version  bigint not null default 0
);
create index cart_by_customer on cart (customer_key);
