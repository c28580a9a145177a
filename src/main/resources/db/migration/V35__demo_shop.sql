-- The demo shop's totals (module demo): carts the simulator began and new customers it invented (counts only).
alter table demo_state add column sim_carts bigint not null default 0;
alter table demo_state add column sim_newcomers bigint not null default 0;
