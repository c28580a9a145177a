package io.loyalflow.segment;

import static io.loyalflow.platform.db.Timestamps.utc;

import io.loyalflow.platform.retention.RetentionCleanup;
import io.loyalflow.platform.retention.RetentionFamily;
import io.loyalflow.platform.retention.RetentionProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Deletes segment events that occurred before the cutoff ({@code loyalflow.retention.segment-events}), never
 * the latest one: the log's position ({@link SegmentEventLog#lastEventKey()}, which campaigns' activation and the
 * ad audiences' diffs compare with) only moves forward, and readers that follow the log from a position read
 * "after key n", which deleting older events does not change. An event is consumed by the campaign entry within
 * minutes; the period must be at least 7 days, so that a campaign held by an incident over a weekend still finds
 * its events.
 */
@Component
class SegmentEventRetention implements RetentionCleanup {

    static final Duration MINIMUM = Duration.ofDays(7);

    private final NamedParameterJdbcTemplate jdbc;

    SegmentEventRetention(NamedParameterJdbcTemplate jdbc, RetentionProperties retention) {
        this.jdbc = jdbc;
        retention.requireAtLeast(
                RetentionFamily.SEGMENT_EVENTS,
                MINIMUM,
                "campaigns enter customers from segment events they have not considered yet");
    }

    @Override
    public RetentionFamily family() {
        return RetentionFamily.SEGMENT_EVENTS;
    }

    @Override
    public String name() {
        return "segment_event";
    }

    @Override
    public Batch deleteBatch(Instant cutoff, int limit) {
        List<Long> keys = jdbc.queryForList(
                "select event_key from segment_event where occurred_at < :cutoff "
                        + "and event_key < (select max(event_key) from segment_event) "
                        + "order by occurred_at, event_key limit :limit",
                Map.of("cutoff", utc(cutoff), "limit", limit),
                Long.class);
        if (keys.isEmpty()) {
            return Batch.of(name(), 0);
        }
        return Batch.of(
                name(), jdbc.update("delete from segment_event where event_key in (:keys)", Map.of("keys", keys)));
    }
}
