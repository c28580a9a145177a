package io.loyalflow.journey;

import static io.loyalflow.platform.db.Timestamps.utc;

import io.loyalflow.platform.retention.RetentionCleanup;
import io.loyalflow.platform.retention.RetentionFamily;
import io.loyalflow.platform.retention.RetentionProperties;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Deletes customer events received before the cutoff ({@code loyalflow.retention.customer-events}). Journeys
 * that reach a wait later catch up only events within {@code loyalflow.customer-events.max-age}, so the period
 * must be at least that; a shorter one refuses the start. A sender repeating the event id of a deleted event is
 * answered as for a new event.
 */
@Component
class CustomerEventRetention implements RetentionCleanup {

    private final NamedParameterJdbcTemplate jdbc;

    CustomerEventRetention(
            NamedParameterJdbcTemplate jdbc, RetentionProperties retention, CustomerEventProperties events) {
        this.jdbc = jdbc;
        retention.requireAtLeast(
                RetentionFamily.CUSTOMER_EVENTS,
                events.maxAge(),
                "journeys that reach a wait catch up the events of loyalflow.customer-events.max-age");
    }

    @Override
    public RetentionFamily family() {
        return RetentionFamily.CUSTOMER_EVENTS;
    }

    @Override
    public String name() {
        return "customer_event";
    }

    @Override
    public Batch deleteBatch(Instant cutoff, int limit) {
        List<Long> keys = jdbc.queryForList(
                "select event_key from customer_event where received_at < :cutoff order by received_at, event_key "
                        + "limit :limit",
                Map.of("cutoff", utc(cutoff), "limit", limit),
                Long.class);
        if (keys.isEmpty()) {
            return Batch.of(name(), 0);
        }
        return Batch.of(
                name(), jdbc.update("delete from customer_event where event_key in (:keys)", Map.of("keys", keys)));
    }
}
