-- H2 joins through indexes (it has no hash join): the refresh's self-joins of its work tables need them.
-- PostgreSQL hash-joins these tables and spends nothing on maintaining indexes (db/vendor/postgresql/V36_1).
create index reco_work_basket_order on reco_work_basket (model_version, customer_key, placed_at);
create index reco_work_item_customer on reco_work_item (model_version, customer_key, sku);
create index reco_work_category_event_customer on reco_work_category_event (model_version, customer_key, placed_at);
create index reco_work_customer_category_customer on reco_work_customer_category (model_version, customer_key);
