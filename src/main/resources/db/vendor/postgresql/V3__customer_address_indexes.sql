-- Opt-outs arrive by address (an e-mail unsubscribe, an SMS STOP) and apply to every customer with it.
create index customer_email_lower on customer (lower(email));
create index customer_phone on customer (phone);
