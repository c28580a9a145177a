-- A refresh's work tables are rebuilt from the orders whenever it runs: nothing in them needs the write-ahead log
-- (a crash empties them, and the next refresh starts over). Unlogged, they are written at a fraction of the cost.
-- No indexes: PostgreSQL hash-joins them (H2, which joins through indexes, gets its own in db/vendor/h2/V36_1).
alter table reco_work_basket set unlogged;
alter table reco_work_item set unlogged;
alter table reco_work_pair set unlogged;
alter table reco_work_basket_pair set unlogged;
alter table reco_work_category_event set unlogged;
alter table reco_work_customer_category set unlogged;
alter table reco_work_category set unlogged;
