-- Opt-outs arrive by address (an e-mail unsubscribe, an SMS STOP) and apply to every customer with it.
-- H2 has no expression indexes; the local try-out's lookups by lower(email) scan, which is fine at its size.
create index customer_email on customer (email);
create index customer_phone on customer (phone);
