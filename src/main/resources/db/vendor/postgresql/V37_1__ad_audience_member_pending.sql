-- The members an ad audience's next round has to decide; partial, so the settled majority costs it nothing (a batch
-- settling ten thousand members removes their entries instead of writing new ones).
create index ad_audience_member_pending on ad_audience_member (audience_key, customer_key) where pending;
