-- The members an ad audience's next round has to decide (H2 has no partial indexes; PostgreSQL's is partial).
create index ad_audience_member_pending on ad_audience_member (audience_key, pending, customer_key);
