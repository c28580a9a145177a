-- The messaging module's tables are its own; other modules read suppressions through this view, never by
-- naming the table. A plain view, inlined by PostgreSQL and H2. Portable SQL.

-- Suppressed addresses per channel (e-mail lower-cased, phone E.164) and why: read by segment (estimates:
-- who e-mail and SMS can reach).
create view v_suppression as
select channel, address, reason
from suppression;
