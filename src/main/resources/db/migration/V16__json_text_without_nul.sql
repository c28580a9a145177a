-- Free-form JSON accepted before the API refused NUL characters may hold the escape \u0000: it breaks
-- PostgreSQL's jsonb casts (attribute conditions and estimates) and queries that bind the value, and
-- the API's reader now refuses it. Each such escape becomes \ufffd, the replacement character, so
-- every stored document reads again. Portable SQL: standard string literals keep the backslash on
-- both PostgreSQL and H2, and in LIKE a doubled backslash matches one.
update customer set attributes = replace(attributes, '\u0000', '\ufffd') where attributes like '%\\u0000%';
update segment_definition set conditions = replace(conditions, '\u0000', '\ufffd') where conditions like '%\\u0000%';
update campaign_revision set settings = replace(settings, '\u0000', '\ufffd') where settings like '%\\u0000%';
update customer_event set data = replace(data, '\u0000', '\ufffd') where data like '%\\u0000%';
update provider_event set payload = replace(payload, '\u0000', '\ufffd') where payload like '%\\u0000%';
update delivery set content = replace(content, '\u0000', '\ufffd') where channel = 'email' and content like '%\\u0000%';
