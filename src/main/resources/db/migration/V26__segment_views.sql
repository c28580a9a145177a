-- The segment module's tables are its own; other modules read segment events through this view, never by
-- naming the table. A plain view, inlined by PostgreSQL and H2. Portable SQL.

-- Segment events in order (SEGMENT_ENTERED, SEGMENT_LEFT, TIER_CHANGED): read by journey (campaign entry
-- by segment events, set-based in chunks).
create view v_segment_event as
select event_key, kind, segment_id, customer_key, from_tier, to_tier, tier_change, occurred_at, cause
from segment_event;
