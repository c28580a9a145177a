-- Cart journeys are entered with the idempotency key cart:<cartId>, and cart ids have up to 100 characters.
alter table campaign_enrollment alter column idempotency_key set data type varchar(110);
