-- A/B splits: each customer's arm per experiment, fixed at the first assignment, so a customer who
-- enters a journey again gets the same arm even after the analysts change the weights.
create table experiment_assignment (
    experiment_key      varchar(100) not null,
    customer_key        bigint not null references customer (customer_key),
    arm                 varchar(40) not null,
    -- the journey that assigned the arm (first, or again after its arm was closed)
    process_instance_id varchar(64) not null,
    assigned_at         timestamp with time zone not null,
    primary key (experiment_key, customer_key)
);
